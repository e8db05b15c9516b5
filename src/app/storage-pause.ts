import type { Logger } from '../logger.ts';
import { type StorageTrouble, storageTroubleOf } from '../store/storage-errors.ts';

const WHY: Record<StorageTrouble, string> = {
  full: 'the database disk is full',
  unavailable: 'the database cannot be reached',
};

/**
 * A background loop's view of the store: when a disk fills or the database restarts, the loop
 * pauses instead of failing its work item by item, says so once, and says so again when it resumes.
 */
export class StoragePause {
  private pausedSinceMs: number | null = null;

  constructor(
    private readonly logger: Logger,
    /** What pauses, as a person reads it: "dispatch", "applying webhook events". */
    private readonly what: string,
    private readonly clock: () => number,
  ) {}

  /** True while the loop is paused. */
  get isPaused(): boolean {
    return this.pausedSinceMs !== null;
  }

  /** True when the error is the store's trouble (logged at the first of a run); false for any other error. */
  noteFailure(error: unknown): boolean {
    const trouble = storageTroubleOf(error);
    if (trouble === undefined) return false;
    if (this.pausedSinceMs === null) {
      this.pausedSinceMs = this.clock();
      this.logger.warn({ err: error, trouble }, `${this.what} paused: ${WHY[trouble]}; it resumes by itself`);
    }
    return true;
  }

  /** The store answered again: ends a pause, saying how long it lasted. */
  noteSuccess(): void {
    if (this.pausedSinceMs === null) return;
    const pausedMs = this.clock() - this.pausedSinceMs;
    this.pausedSinceMs = null;
    this.logger.info({ pausedMs }, `${this.what} resumed: the database answers again`);
  }
}
