import type { Kysely } from 'kysely';
import { SYSTEM_SOURCE } from '../domain/audit.ts';
import type { DispatchEffect } from '../domain/dispatch-effect.ts';
import { isWatchedCode } from '../domain/quality-guard.ts';
import type { Logger } from '../logger.ts';
import { addCampaignOutcomes } from '../store/campaign-outcomes-repo.ts';
import { pauseCampaignsOnTemplates, transitionCampaign } from '../store/campaigns-repo.ts';
import type { Database } from '../store/db.ts';
import type { DB } from '../store/schema.ts';
import type { SendResult } from '../store/send-results-repo.ts';
import { pauseSender } from '../store/senders-repo.ts';
import type { AppliedStatus } from '../store/status-events-repo.ts';
import type { WebhookBatchResult } from './apply-webhook.ts';
import { recordAudit } from './audit.ts';
import { pauseCampaignOnPoorQuality } from './campaign-quality.ts';
import { resubscribe, suppressNow } from './consent-effects.ts';
import { confirmFromInbound } from './form-confirmation.ts';
import { enqueueOutboundEvents, replyEvent, statusEvent } from './outbound-events.ts';
import type { InboundEffect } from './record-inbound.ts';

/** What send answers and webhooks change beyond one message: pauses, opt-outs, re-subscriptions. */
export class CampaignEffects {
  constructor(
    private readonly database: Database,
    private readonly clock: () => number,
    private readonly logger: Logger,
  ) {}

  /** Acts on what one send answer called for. */
  async onDispatchEffect(effect: Exclude<DispatchEffect, { kind: 'throughput' }>): Promise<void> {
    const now = this.clock();
    if (effect.kind === 'pause_campaign') await this.pauseCampaign(effect.campaignId, effect.reason);
    else if (effect.kind === 'pause_sender') {
      await pauseSender(this.database.db, effect.senderId, { reason: effect.reason, by: 'auth' }, now);
      this.logger.error({ senderId: effect.senderId, reason: effect.reason }, 'sender paused');
      await recordAudit(
        this.database.db,
        {
          ...SYSTEM_SOURCE,
          action: 'sender.pause',
          target: { type: 'sender', id: effect.senderId },
          details: { reason: effect.reason },
        },
        now,
      );
    } else {
      const evidence = { source: 'send-error', evidence: effect.evidence };
      await this.database.db.transaction().execute((trx) => suppressNow(trx, effect.phone, evidence, now));
    }
  }

  /**
   * After a batch of send answers is recorded: judges the campaigns whose sends failed with a
   * watched code, and applies the failures of webhooks that had waited for these answers.
   */
  async afterSendResults(results: readonly SendResult[], applied: readonly AppliedStatus[]): Promise<void> {
    const now = this.clock();
    const failedLate = applied.filter((a) => a.status === 'failed');
    if (failedLate.length > 0)
      await this.database.db.transaction().execute((trx) => this.applyFailedStatuses(trx, failedLate, now));
    const watched = new Set(
      results.filter((r) => isWatchedCode(r.attempt.error_code ?? null)).map((r) => r.campaignId),
    );
    for (const campaignId of watched) await this.judgeQuality(this.database.db, campaignId, now);
  }

  /**
   * Acts on a webhook batch inside the transaction that stores it, so an opt-out is durable exactly
   * when its event is: a crash before the commit leaves both undone, and Meta's retry brings both.
   */
  async applyWebhookEffects(trx: Kysely<DB>, result: WebhookBatchResult): Promise<void> {
    const now = this.clock();
    await this.applyFailedStatuses(
      trx,
      result.applied.filter((a) => a.status === 'failed'),
      now,
    );
    for (const effect of result.inbound) await applyInbound(trx, effect, now);
    for (const message of result.received) await confirmFromInbound(trx, message, now);
    await enqueueOutboundEvents(trx, [...result.applied.map(statusEvent), ...result.received.map(replyEvent)], now);
    for (const template of result.templates) {
      if (!template.blockingReason) continue;
      const paused = await pauseCampaignsOnTemplates(trx, template.templateIds, template.blockingReason, now);
      if (paused.length > 0)
        this.logger.warn({ campaigns: paused, reason: template.blockingReason }, 'campaigns paused');
      for (const campaignId of paused) await auditAutomaticPause(trx, campaignId, template.blockingReason, now);
    }
  }

  /** Failed statuses: 131050 opt-outs, and the failure counts the quality guard judges. */
  private async applyFailedStatuses(trx: Kysely<DB>, failed: readonly AppliedStatus[], now: number): Promise<void> {
    if (failed.length === 0) return;
    for (const status of failed) {
      // 131050: the user stopped marketing messages; never message them again (reference/cloud-api.md §6).
      if (status.errorCode === 131050) {
        await suppressNow(trx, status.phone, { source: 'webhook:131050', evidence: 'status failed with 131050' }, now);
      }
    }
    const coded = failed.filter((s) => s.errorCode !== null);
    await addCampaignOutcomes(
      trx,
      coded.map((s) => ({ campaignId: s.campaignId, at: now, code: s.errorCode as number })),
    );
    const watched = new Set(coded.filter((s) => isWatchedCode(s.errorCode)).map((s) => s.campaignId));
    for (const campaignId of watched) await this.judgeQuality(trx, campaignId, now);
  }

  private async judgeQuality(db: Kysely<DB>, campaignId: number, now: number): Promise<void> {
    const reason = await pauseCampaignOnPoorQuality(db, campaignId, now);
    if (!reason) return;
    this.logger.warn({ campaignId, reason }, 'campaign paused automatically');
    await auditAutomaticPause(db, campaignId, reason, now);
  }

  private async pauseCampaign(campaignId: number, reason: string): Promise<void> {
    const now = this.clock();
    const isPaused = await transitionCampaign(this.database.db, {
      id: campaignId,
      from: ['running'],
      to: 'paused',
      reason,
      now,
    });
    if (!isPaused) return;
    this.logger.warn({ campaignId, reason }, 'campaign paused automatically');
    await auditAutomaticPause(this.database.db, campaignId, reason, now);
  }
}

/** A pause Chorus made by itself goes in the audit log beside the ones people make. */
function auditAutomaticPause(db: Kysely<DB>, campaignId: number, reason: string, now: number): Promise<void> {
  return recordAudit(
    db,
    {
      ...SYSTEM_SOURCE,
      action: 'campaign.pause',
      target: { type: 'campaign', id: String(campaignId) },
      details: { reason },
    },
    now,
  );
}

/** An inbound STOP/START or a marketing preference, applied to consent. */
async function applyInbound(trx: Kysely<DB>, effect: InboundEffect, now: number): Promise<void> {
  const isStop = effect.kind === 'keyword' ? effect.intent === 'opt_out' : effect.value === 'stop';
  const isResume = effect.kind === 'keyword' ? effect.intent === 'opt_in' : effect.value === 'resume';
  const evidence =
    effect.kind === 'keyword'
      ? { source: 'webhook:inbound', evidence: `${effect.evidence} (${effect.wamid})` }
      : { source: 'webhook:user_preferences', evidence: `${effect.category} ${effect.value}` };
  if (isStop) await suppressNow(trx, effect.phone, evidence, now);
  else if (isResume) await resubscribe(trx, effect.phone, evidence, now);
}
