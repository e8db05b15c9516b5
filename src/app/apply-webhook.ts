import type { Kysely } from 'kysely';
import type { StatusEvent, WebhookEvent } from '../cloud-api/webhook-events.ts';
import { toDeliveryStatus } from '../domain/message-status.ts';
import type { KeywordMatcher } from '../domain/opt-out-keywords.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import type { DB } from '../store/schema.ts';
import { type AppliedStatus, recordStatusEvents, type StatusEventInput } from '../store/status-events-repo.ts';
import { type InboundEffect, recordInbound } from './record-inbound.ts';
import { recordTemplateEvent, type TemplateEffect } from './record-template-event.ts';

/** What a webhook batch changed, for side effects after it is durable. */
export interface WebhookBatchResult {
  statusEvents: number;
  applied: AppliedStatus[];
  inbound: InboundEffect[];
  templates: TemplateEffect[];
  ignored: number;
}

/**
 * Stores and applies one signed webhook batch, and its effects (opt-outs, pauses), in one
 * transaction, so the 200 answer means all of it is durable. Duplicates change nothing; unknown
 * kinds are logged and ignored.
 */
export async function applyWebhookEvents(
  database: Database,
  events: WebhookEvent[],
  now: number,
  logger: Logger,
  matchKeyword: KeywordMatcher,
  applyEffects?: (trx: Kysely<DB>, result: WebhookBatchResult) => Promise<void>,
): Promise<WebhookBatchResult> {
  const result: WebhookBatchResult = { statusEvents: 0, applied: [], inbound: [], templates: [], ignored: 0 };
  const statuses: StatusEventInput[] = [];
  for (const event of events) {
    if (event.kind !== 'status') continue;
    const input = toStatusInput(event);
    if (input) statuses.push(input);
  }
  result.statusEvents = statuses.length;
  await database.db.transaction().execute(async (tx) => {
    result.applied = await recordStatusEvents(tx, statuses, now);
    for (const event of events) {
      if (event.kind === 'status') continue;
      if (event.kind === 'message') {
        const effect = await recordInbound(tx, event, now, matchKeyword);
        if (effect) result.inbound.push(effect);
      } else if (
        event.kind === 'template_status' ||
        event.kind === 'template_quality' ||
        event.kind === 'template_category'
      ) {
        result.templates.push(await recordTemplateEvent(tx, event));
      } else if (event.kind === 'user_preference') {
        result.inbound.push({
          kind: 'preference',
          phone: `+${event.waId}`,
          value: event.value,
          category: event.category,
        });
      } else {
        result.ignored++;
        logger.info({ kind: event.kind }, 'webhook event kind not acted on');
      }
    }
    if (applyEffects) await applyEffects(tx, result);
  });
  return result;
}

function toStatusInput(event: StatusEvent): StatusEventInput | undefined {
  const status = toDeliveryStatus(event.status);
  if (!status) return undefined;
  const error = event.errors[0];
  return {
    wamid: event.wamid,
    status,
    occurredAt: event.timestampMs,
    callbackData: event.callbackData,
    error: error ? { code: error.code, title: error.title, details: error.details ?? error.message } : null,
    pricing: event.pricing
      ? {
          model: event.pricing.pricing_model ?? null,
          category: event.pricing.category ?? null,
          billable: event.pricing.billable ?? null,
        }
      : null,
    raw: event.raw,
  };
}
