// Live progress for the campaign page. Every watcher of one campaign shares one reader: however
// many pages are open, the counts are read at most once per interval per campaign, and a watcher
// hears only changes. Reading the store (not the send loop) keeps it right when another process
// dispatches. Counting is a scan of the campaign's index entries (26 ms for 100,000 messages on a
// loaded machine, docs/benchmarks.md): the next read waits at least ten times as long as the last
// one took, so a huge campaign's counts never take more than a tenth of the serving thread.
import { coerceError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import { type CampaignView, viewCampaign } from './campaigns.ts';

/** Hears each new state of a campaign. */
export type ProgressListener = (view: CampaignView) => void;

interface Watch {
  listeners: Set<ProgressListener>;
  timer: NodeJS.Timeout | undefined;
  lastText: string;
  lastView: CampaignView | undefined;
}

// The share of the serving thread the reads may take: wait this many times a read's duration.
const READ_SPACING_FACTOR = 10;

/** Shared, change-only progress reads per watched campaign. */
export class CampaignProgressFeed {
  private readonly watches = new Map<number, Watch>();
  private closeFeed: () => void = () => {};
  /** Settles when the server shuts down, so open event streams end and let it close. */
  readonly closed = new Promise<void>((resolve) => {
    this.closeFeed = resolve;
  });

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly intervalMs = 1_000,
  ) {}

  /** Calls `listener` with the campaign now and after each change; returns the unsubscribe. */
  watch(campaignId: number, listener: ProgressListener): () => void {
    let watch = this.watches.get(campaignId);
    if (!watch) {
      watch = { listeners: new Set(), timer: undefined, lastText: '', lastView: undefined };
      this.watches.set(campaignId, watch);
      void this.read(campaignId, watch);
    } else if (watch.lastView) {
      listener(watch.lastView);
    }
    watch.listeners.add(listener);
    const current = watch;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size > 0) return;
      clearTimeout(current.timer);
      this.watches.delete(campaignId);
    };
  }

  /** Stops every read and ends every stream. */
  close(): void {
    for (const watch of this.watches.values()) clearTimeout(watch.timer);
    this.watches.clear();
    this.closeFeed();
  }

  /** How many campaigns are being read (tests, metrics). */
  get watchedCount(): number {
    return this.watches.size;
  }

  private async read(campaignId: number, watch: Watch): Promise<void> {
    const started = performance.now();
    try {
      const view = await viewCampaign(this.database, campaignId);
      const text = JSON.stringify(view);
      if (text !== watch.lastText) {
        watch.lastText = text;
        watch.lastView = view;
        for (const listener of watch.listeners) listener(view);
      }
    } catch (error) {
      this.logger.warn({ err: coerceError(error), campaignId }, 'reading campaign progress failed');
    }
    if (this.watches.get(campaignId) !== watch) return;
    const waitMs = Math.max(this.intervalMs, (performance.now() - started) * READ_SPACING_FACTOR);
    watch.timer = setTimeout(() => void this.read(campaignId, watch), waitMs);
    watch.timer.unref();
  }
}
