import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on a module of ours, given beside its caller as `./name` (no extension).
 * The compiled build (dist/, `.js`) starts the compiled module directly; the sources (`.ts`, under
 * tsx or vitest) start it through a boot file that registers the TypeScript loader first, which
 * worker threads do not inherit. The module reads its settings from `workerData.settings`.
 */
export function startModuleWorker(
  callerUrl: string,
  module: string,
  settings: unknown,
  options: Omit<WorkerOptions, 'workerData'> = {},
): Worker {
  const isCompiled = callerUrl.endsWith('.js');
  const entry = new URL(`${module}${isCompiled ? '.js' : '.ts'}`, callerUrl);
  const script = isCompiled ? entry : new URL('./worker-boot.mjs', import.meta.url);
  return new Worker(script, { ...options, workerData: { entry: entry.href, settings } });
}
