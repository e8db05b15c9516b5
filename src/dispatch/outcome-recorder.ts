import { coerceError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import { deferMessages } from '../store/outbox-repo.ts';
import { recordSendResults, type SendResult } from '../store/send-results-repo.ts';
import type { AppliedStatus } from '../store/status-events-repo.ts';
import { storageTroubleOf } from '../store/storage-errors.ts';

// Writing outcomes in batches is what lets one SQLite file keep up with thousands of sends a
// second; the wait is short enough that status counts feel live.
const FLUSH_EVERY_MS = 20;
const FLUSH_AT_COUNT = 500;

/** Send results just recorded, and the statuses of webhooks that had waited for them. */
export interface RecordedBatch {
  results: readonly SendResult[];
  applied: readonly AppliedStatus[];
}

/** Buffers send results and writes them in one transaction per batch; a failed write is retried, never dropped. */
export class OutcomeRecorder {
  private buffer: SendResult[] = [];
  private firstBufferedAt = 0;
  private flushing: Promise<void> | undefined;
  /** Why the last write failed, while its results wait to be written again. */
  private stalledBy: Error | undefined;

  constructor(
    private readonly database: Database,
    private readonly clock: () => number,
    private readonly logger: Logger,
    private readonly onRecorded: (batch: RecordedBatch) => Promise<void>,
  ) {}

  /** Adds one result; writes the batch when it is big enough. */
  add(result: SendResult): void {
    if (this.buffer.length === 0) this.firstBufferedAt = this.clock();
    this.buffer.push(result);
    if (this.buffer.length >= FLUSH_AT_COUNT) void this.flush();
  }

  /**
   * Writes the batch if its oldest result has waited long enough. After a failed write it tries
   * again at once and throws if that fails too: nothing more should be sent while results of
   * sends already made cannot be saved.
   */
  async flushIfDue(): Promise<void> {
    if (this.stalledBy !== undefined) {
      await this.flush();
      if (this.stalledBy !== undefined) throw this.stalledBy;
      return;
    }
    if (this.buffer.length > 0 && this.clock() - this.firstBufferedAt >= FLUSH_EVERY_MS) await this.flush();
  }

  /** Puts rows back in the queue that the limits deferred. */
  async defer(deferrals: { id: number; nextAttemptAt: number; reason: string }[]): Promise<void> {
    await deferMessages(this.database.db, deferrals, this.clock());
  }

  /** Writes everything buffered now (one writer at a time). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.write(batch).finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  private async write(batch: SendResult[]): Promise<void> {
    let applied: AppliedStatus[];
    try {
      applied = await recordSendResults(this.database.db, batch, this.clock());
    } catch (error) {
      // The rows stay `sending` under their lease either way; keep the results and try again.
      this.stalledBy = coerceError(error);
      // A full disk or a lost database pauses the whole loop, which says so once (StoragePause).
      if (storageTroubleOf(error) === undefined)
        this.logger.error({ err: this.stalledBy, count: batch.length }, 'recording send results failed; will retry');
      this.buffer = batch.concat(this.buffer);
      this.firstBufferedAt = this.clock();
      return;
    }
    this.stalledBy = undefined;
    try {
      await this.onRecorded({ results: batch, applied });
    } catch (error) {
      this.logger.error({ err: coerceError(error), count: batch.length }, 'acting on recorded send results failed');
    }
  }
}
