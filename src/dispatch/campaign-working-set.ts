import { coerceError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import { type CampaignRecord, listCampaignsByStatus, transitionCampaign } from '../store/campaigns-repo.ts';
import type { Database } from '../store/db.ts';
import {
  type ClaimedMessage,
  claimDueMessages,
  hasUnsettledMessages,
  reconcileExpiredLeases,
  releaseExpiredLeases,
} from '../store/outbox-repo.ts';
import { getSender } from '../store/senders-repo.ts';
import { storageTroubleOf } from '../store/storage-errors.ts';

// Re-reading the running set this often is what makes pause/cancel take effect within a second.
const REFRESH_MS = 250;
const LEASE_SWEEP_MS = 1_000;
const COMPLETION_CHECK_MS = 500;

/**
 * The running campaigns of one sender, refreshed from the store: claims rows for them, sweeps
 * expired leases, and marks a campaign completed once every message is settled.
 */
export class CampaignWorkingSet {
  private cached: CampaignRecord[] = [];
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private sweptAt = Number.NEGATIVE_INFINITY;
  private completionCheckedAt = Number.NEGATIVE_INFINITY;
  private lastServedId: number | null = null;
  /** Why the whole sender is paused (auth or policy trouble), or null; re-read with the running set. */
  senderPausedReason: string | null = null;

  constructor(
    private readonly database: Database,
    private readonly senderId: string,
    private readonly logger: Logger,
    /** How long a row whose worker was lost waits for a webhook naming it before a resend. */
    private readonly reconcileMs: number,
  ) {}

  /** Forces a re-read on the next round. */
  invalidate(): void {
    this.refreshedAt = Number.NEGATIVE_INFINITY;
  }

  /** The running campaigns of this sender; also does the periodic housekeeping. */
  async running(now: number): Promise<CampaignRecord[]> {
    if (now - this.refreshedAt >= REFRESH_MS) {
      const all = await listCampaignsByStatus(this.database.db, ['running']);
      this.cached = all.filter((c) => c.senderId === this.senderId);
      this.senderPausedReason = (await getSender(this.database.db, this.senderId))?.pausedReason ?? null;
      this.refreshedAt = now;
    }
    if (now - this.sweptAt >= LEASE_SWEEP_MS) {
      this.sweptAt = now;
      await this.sweepLeases(now);
    }
    if (now - this.completionCheckedAt >= COMPLETION_CHECK_MS) {
      this.completionCheckedAt = now;
      await this.completeFinished(now);
    }
    return this.cached;
  }

  /**
   * The campaigns in a rotating order that starts after the last one served, so several campaigns
   * on one sender share it fairly: one with nothing due does not hand its turn to the same
   * neighbour round after round.
   */
  fairOrder(campaigns: CampaignRecord[]): CampaignRecord[] {
    const start = campaigns.findIndex((c) => c.id === this.lastServedId) + 1;
    return [...campaigns.slice(start), ...campaigns.slice(0, start)];
  }

  /** Notes the first campaign that got sends this round (the next round starts after it). */
  served(campaignId: number): void {
    this.lastServedId = campaignId;
  }

  /** Claims due rows of one campaign under a lease. */
  claim(
    campaign: CampaignRecord,
    claim: { limit: number; now: number; leaseUntil: number; owner: string },
  ): Promise<ClaimedMessage[]> {
    return claimDueMessages(this.database.db, this.database.dialect, { campaignId: campaign.id, ...claim });
  }

  private async sweepLeases(now: number): Promise<void> {
    for (const campaign of this.cached) {
      const released = await releaseExpiredLeases(this.database.db, campaign.id, now);
      if (released > 0)
        this.logger.warn({ campaignId: campaign.id, released }, 'no webhook named them; messages back in the queue');
      const reconciling = await reconcileExpiredLeases(this.database.db, campaign.id, now, this.reconcileMs);
      if (reconciling > 0)
        this.logger.warn({ campaignId: campaign.id, reconciling }, 'leases expired; waiting for webhooks naming them');
    }
  }

  private async completeFinished(now: number): Promise<void> {
    for (const campaign of this.cached) {
      if (!campaign.isMaterialized) continue;
      try {
        if (await hasUnsettledMessages(this.database.db, campaign.id)) continue;
        const isDone = await transitionCampaign(this.database.db, {
          id: campaign.id,
          from: ['running'],
          to: 'completed',
          now,
          finishedAt: now,
        });
        if (isDone) this.logger.info({ campaignId: campaign.id }, 'campaign completed');
        this.invalidate();
      } catch (error) {
        // The store's own trouble pauses the whole loop, which says so once (StoragePause).
        if (storageTroubleOf(error) !== undefined) throw error;
        this.logger.error({ err: coerceError(error), campaignId: campaign.id }, 'completion check failed');
      }
    }
  }
}
