import { type ResourceLimits, Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on the module at `moduleUrl` (its `.ts` URL beside the caller), passing
 * `workerData` plus the module's own URL as `entry`. The compiled build (dist/) runs the `.js`
 * file directly; from the sources (tsx, vitest) a boot file registers the TypeScript loader first,
 * since worker threads do not inherit it.
 */
export function startModuleWorker(moduleUrl: URL, workerData: object, resourceLimits: ResourceLimits): Worker {
  const isCompiled = import.meta.url.endsWith('.js');
  const entry = isCompiled ? new URL(moduleUrl.href.replace(/\.ts$/, '.js')) : moduleUrl;
  const script = isCompiled ? entry : new URL('./worker-boot.mjs', import.meta.url);
  return new Worker(script, { workerData: { ...workerData, entry: entry.href }, resourceLimits });
}

/**
 * The worker's side of flow control with its reader: it may run `count` items ahead, takes a
 * credit before posting each item, and the reader gives one back for each item it has handled.
 */
export class RunAheadCredits {
  #count: number;
  #wake: (() => void) | undefined;

  constructor(count: number) {
    this.#count = count;
  }

  /** One item handled by the reader. */
  give(): void {
    this.#count++;
    this.#wake?.();
  }

  /** Waits until the worker may post one more item. */
  async take(): Promise<void> {
    while (this.#count <= 0) await new Promise<void>((resolve) => (this.#wake = resolve));
    this.#count--;
  }
}
