import type { Kysely, Transaction } from 'kysely';
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

/** Applies a batch's effects (opt-outs, pauses) inside the transaction that stores its events. */
export type WebhookEffects = (trx: Kysely<DB>, result: WebhookBatchResult) => Promise<void>;

// Meta sends up to 1,000 events a POST. Each slice of this many commits on its own, so other
// requests waiting for the single SQLite connection get a turn between slices (webhook p99).
const EVENTS_PER_TRANSACTION = 200;

/**
 * Stores and applies one signed webhook batch and its effects, a slice at a time, each slice in
 * one transaction with its own effects; all are committed before the 200 answer goes out. Should
 * a later slice fail, Meta's retry finds the earlier ones stored and changes nothing twice.
 * Duplicates change nothing; unknown kinds are logged and ignored.
 */
export async function applyWebhookEvents(
  database: Database,
  events: WebhookEvent[],
  now: number,
  logger: Logger,
  matchKeyword: KeywordMatcher,
  applyEffects?: WebhookEffects,
): Promise<WebhookBatchResult> {
  const total: WebhookBatchResult = { statusEvents: 0, applied: [], inbound: [], templates: [], ignored: 0 };
  for (let i = 0; i < events.length; i += EVENTS_PER_TRANSACTION) {
    const slice = events.slice(i, i + EVENTS_PER_TRANSACTION);
    const result = await database.db
      .transaction()
      .execute((tx) => applySlice(tx, slice, { now, logger, matchKeyword, applyEffects }));
    total.statusEvents += result.statusEvents;
    total.applied.push(...result.applied);
    total.inbound.push(...result.inbound);
    total.templates.push(...result.templates);
    total.ignored += result.ignored;
  }
  return total;
}

async function applySlice(
  tx: Transaction<DB>,
  events: WebhookEvent[],
  context: { now: number; logger: Logger; matchKeyword: KeywordMatcher; applyEffects: WebhookEffects | undefined },
): Promise<WebhookBatchResult> {
  const { now, matchKeyword } = context;
  const statuses = events.flatMap((event) => (event.kind === 'status' ? (toStatusInput(event) ?? []) : []));
  const result: WebhookBatchResult = {
    statusEvents: statuses.length,
    applied: [],
    inbound: [],
    templates: [],
    ignored: 0,
  };
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
      context.logger.info({ kind: event.kind }, 'webhook event kind not acted on');
    }
  }
  if (context.applyEffects) await context.applyEffects(tx, result);
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
