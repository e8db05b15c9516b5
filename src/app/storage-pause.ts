import { type StorageTrouble, storageTroubleOf } from '../store/storage-errors.ts';

const WHY: Record<StorageTrouble, string> = {
  full: 'the database disk is full',
  unavailable: 'the database cannot be reached',
};

/** The background loops that pause for the store, as /metrics labels them. */
export const STORAGE_COMPONENTS = ['dispatch', 'webhook_drain', 'scheduler', 'senders', 'outbound_webhooks'] as const;
/** One of the background loops that pause for the store. */
export type StorageComponent = (typeof STORAGE_COMPONENTS)[number];

// What pauses, as a person reads it in the log line.
const WHAT: Record<StorageComponent, string> = {
  dispatch: 'dispatch',
  webhook_drain: 'applying stored webhook events',
  scheduler: 'the campaign scheduler',
  senders: 'refreshing senders',
  outbound_webhooks: 'delivering outbound webhooks',
};

/** Hears a loop pause for the store and resume (the chorus_storage_paused gauge). */
export type StoragePauseObserver = (component: StorageComponent, isPaused: boolean) => void;

/** Where a pause and its end are told: a pino logger, or a drain thread's listener. */
export interface PauseLog {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

/**
 * A background loop's view of the store: when a disk fills or the database restarts, the loop
 * pauses instead of failing its work item by item, says so once, and says so again when it resumes.
 */
export class StoragePause {
  private pausedSinceMs: number | null = null;

  constructor(
    private readonly logger: PauseLog,
    private readonly component: StorageComponent,
    private readonly clock: () => number,
    private readonly observer?: StoragePauseObserver,
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
      this.logger.warn(
        { err: error, trouble },
        `${WHAT[this.component]} paused: ${WHY[trouble]}; it resumes by itself`,
      );
      this.observer?.(this.component, true);
    }
    return true;
  }

  /**
   * The store answered again: ends a pause, saying how long it lasted. Given when the work that
   * succeeded began, only work begun after the pause ends it: earlier work may have needed no store.
   */
  noteSuccess(startedAtMs?: number): void {
    if (this.pausedSinceMs === null) return;
    if (startedAtMs !== undefined && startedAtMs <= this.pausedSinceMs) return;
    const pausedMs = this.clock() - this.pausedSinceMs;
    this.pausedSinceMs = null;
    this.logger.info({ pausedMs }, `${WHAT[this.component]} resumed: the database answers again`);
    this.observer?.(this.component, false);
  }
}
