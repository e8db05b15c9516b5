import type { Kysely } from 'kysely';
import type { CampaignQualityGuards } from '../dispatch/campaign-quality-guards.ts';
import type { DispatchEffect } from '../dispatch/send-decision.ts';
import type { Logger } from '../logger.ts';
import { pauseCampaignsOnTemplates, transitionCampaign } from '../store/campaigns-repo.ts';
import type { Database } from '../store/db.ts';
import type { DB } from '../store/schema.ts';
import { setSenderPaused } from '../store/senders-repo.ts';
import type { WebhookBatchResult } from './apply-webhook.ts';
import { DEFAULT_SENDER_ID } from './campaigns.ts';
import { resubscribe, suppressNow } from './consent-effects.ts';
import type { InboundEffect } from './record-inbound.ts';

/** What send answers and webhooks change beyond one message: pauses, opt-outs, re-subscriptions. */
export class CampaignEffects {
  constructor(
    private readonly database: Database,
    private readonly clock: () => number,
    private readonly logger: Logger,
    private readonly guards: CampaignQualityGuards,
  ) {}

  /** Acts on what one send answer called for. */
  async onDispatchEffect(effect: Exclude<DispatchEffect, { kind: 'throughput' }>): Promise<void> {
    const now = this.clock();
    if (effect.kind === 'pause_campaign') await this.pauseCampaign(effect.campaignId, effect.reason);
    else if (effect.kind === 'pause_sender') {
      await setSenderPaused(this.database.db, DEFAULT_SENDER_ID, effect.reason, now);
      this.logger.error({ reason: effect.reason }, 'sender paused');
    } else {
      const evidence = { source: 'send-error', evidence: effect.evidence };
      await this.database.db.transaction().execute((trx) => suppressNow(trx, effect.phone, evidence, now));
    }
  }

  /**
   * Acts on a webhook batch inside the transaction that stores it, so an opt-out is durable exactly
   * when its event is: a crash before the commit leaves both undone, and Meta's retry brings both.
   */
  async applyWebhookEffects(trx: Kysely<DB>, result: WebhookBatchResult): Promise<void> {
    const now = this.clock();
    for (const applied of result.applied) {
      if (applied.status !== 'failed') continue;
      // 131050: the user stopped marketing messages; never message them again (reference/cloud-api.md §6).
      if (applied.errorCode === 131050) {
        await suppressNow(trx, applied.phone, { source: 'webhook:131050', evidence: 'status failed with 131050' }, now);
      }
      const verdict = this.guards.record(applied.campaignId, applied.errorCode);
      if (verdict) await this.pauseCampaign(applied.campaignId, verdict, trx);
    }
    for (const effect of result.inbound) await applyInbound(trx, effect, now);
    for (const template of result.templates) {
      if (!template.blockingReason) continue;
      const paused = await pauseCampaignsOnTemplates(trx, template.templateIds, template.blockingReason, now);
      if (paused.length > 0)
        this.logger.warn({ campaigns: paused, reason: template.blockingReason }, 'campaigns paused');
    }
  }

  private async pauseCampaign(campaignId: number, reason: string, db: Kysely<DB> = this.database.db): Promise<void> {
    const isPaused = await transitionCampaign(db, {
      id: campaignId,
      from: ['running'],
      to: 'paused',
      reason,
      now: this.clock(),
    });
    if (isPaused) this.logger.warn({ campaignId, reason }, 'campaign paused automatically');
  }
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
