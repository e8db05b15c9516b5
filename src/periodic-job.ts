/**
 * Work run every `intervalMs`, one run at a time: a tick or a `runNow` while a run is under way
 * joins that run instead of starting another, and `stop` waits for it. The work must not throw:
 * each job logs its own failures, since only it knows what they mean.
 */
export class PeriodicJob {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(private readonly work: () => Promise<void>) {}

  /** Begins running every `intervalMs`, and at once too when `atOnce`; the timer keeps no process alive. */
  start(intervalMs: number, { atOnce = false } = {}): void {
    this.#timer = setInterval(() => void this.runNow(), intervalMs);
    this.#timer.unref();
    if (atOnce) void this.runNow();
  }

  /** Runs once now unless a run is under way (then answers that one). */
  runNow(): Promise<void> {
    this.#running ??= this.work().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Stops the timer and waits for the run under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
