import type { RetentionPolicy } from '../config.ts';
import { coerceError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import { PeriodicJob } from '../periodic-job.ts';
import type { Database } from '../store/db.ts';
import { type RetentionReport, runRetention } from './retention.ts';

/** How often a worker runs retention: purges move a mark, so a run finds little to do each time. */
export const RETENTION_INTERVAL_MS = 5 * 60_000;

/** Runs retention in a worker process every RETENTION_INTERVAL_MS, one run at a time; logs what each purged. */
export class RetentionJob {
  private readonly job = new PeriodicJob(() => this.work());

  constructor(
    private readonly database: Database,
    private readonly policy: RetentionPolicy,
    private readonly clock: () => number,
    private readonly logger: Logger,
  ) {}

  /** Begins running periodically; the first run comes one interval after start, out of the start-up's way. */
  start(intervalMs = RETENTION_INTERVAL_MS): void {
    this.job.start(intervalMs);
  }

  /** Stops the timer and waits for the run under way. */
  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Runs once now unless a run is under way (then waits for that one). */
  runNow(): Promise<void> {
    return this.job.runNow();
  }

  private async work(): Promise<void> {
    try {
      const report = await runRetention(this.database, this.policy, this.clock);
      if (hasPurged(report)) this.logger.info({ retention: report }, 'retention purged old data');
    } catch (error) {
      this.logger.error({ err: coerceError(error) }, 'retention run failed; it runs again at the next interval');
    }
  }
}

/** Whether a report purged anything. */
export function hasPurged(report: RetentionReport): boolean {
  return Object.values(report).some((n) => n > 0);
}
