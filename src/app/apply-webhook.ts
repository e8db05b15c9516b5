import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import type { StatusEvent, WebhookEvent } from '../cloud-api/webhook-events.ts';
import { toDeliveryStatus } from '../domain/message-status.ts';
import type { KeywordMatcher } from '../domain/opt-out-keywords.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import type { DB } from '../store/schema.ts';
import { type AppliedStatus, recordStatusEvents, type StatusEventInput } from '../store/status-events-repo.ts';
import { type InboundEffect, type InboundReceived, recordInbound } from './record-inbound.ts';
import { recordTemplateEvent, type TemplateEffect } from './record-template-event.ts';

/** What a webhook batch changed, for side effects after it is durable. */
export interface WebhookBatchResult {
  statusEvents: number;
  applied: AppliedStatus[];
  inbound: InboundEffect[];
  /** Messages stored for the first time in this batch (replies, double opt-in codes). */
  received: InboundReceived[];
  templates: TemplateEffect[];
  ignored: number;
}

/** Applies a batch's effects (opt-outs, pauses) inside the transaction that stores its events. */
export type WebhookEffects = (trx: Kysely<DB>, result: WebhookBatchResult) => Promise<void>;

// Meta sends up to 1,000 events a POST. Each slice of this many commits on its own, and the event
// loop turns between slices: SQLite's driver is synchronous, so without that turn a 1,000-event
// batch holds the process for its whole length and every other request waits (webhook p99).
const EVENTS_PER_TRANSACTION = 200;

/** What applying events needs besides the events. */
export interface ApplyContext {
  now: number;
  logger: Logger;
  matchKeyword: KeywordMatcher;
  applyEffects?: WebhookEffects;
}

/**
 * Stores and applies webhook events and their effects, a slice at a time, each slice in one
 * transaction with its own effects; all are committed when this resolves. Should a later slice
 * fail, Meta's retry finds the earlier ones stored and changes nothing twice. Duplicates change
 * nothing; unknown kinds are logged and ignored.
 */
export async function applyWebhookEvents(
  database: Database,
  events: WebhookEvent[],
  context: ApplyContext,
): Promise<WebhookBatchResult> {
  const total: WebhookBatchResult = {
    statusEvents: 0,
    applied: [],
    inbound: [],
    received: [],
    templates: [],
    ignored: 0,
  };
  for (let i = 0; i < events.length; i += EVENTS_PER_TRANSACTION) {
    if (i > 0) await nextTurnOfEventLoop();
    const slice = events.slice(i, i + EVENTS_PER_TRANSACTION);
    const statuses = slice.flatMap((event) => (event.kind === 'status' ? (toStatusInput(event) ?? []) : []));
    const others = slice.filter((event) => event.kind !== 'status');
    const result = await database.db.transaction().execute((tx) => applySlice(tx, statuses, others, context));
    total.statusEvents += result.statusEvents;
    total.applied.push(...result.applied);
    total.inbound.push(...result.inbound);
    total.received.push(...result.received);
    total.templates.push(...result.templates);
    total.ignored += result.ignored;
  }
  return total;
}

/** Applies status events already in store form, and their effects, inside the caller's transaction. */
export function applyStatusEvents(
  tx: Transaction<DB>,
  statuses: StatusEventInput[],
  context: ApplyContext,
): Promise<WebhookBatchResult> {
  return applySlice(tx, statuses, [], context);
}

async function applySlice(
  tx: Transaction<DB>,
  statuses: StatusEventInput[],
  others: WebhookEvent[],
  context: ApplyContext,
): Promise<WebhookBatchResult> {
  const { now, matchKeyword } = context;
  const result: WebhookBatchResult = {
    statusEvents: statuses.length,
    applied: [],
    inbound: [],
    received: [],
    templates: [],
    ignored: 0,
  };
  result.applied = await recordStatusEvents(tx, statuses, now);
  for (const event of others) {
    if (event.kind === 'message') {
      const recorded = await recordInbound(tx, event, now, matchKeyword);
      if (recorded) result.received.push(recorded.received);
      if (recorded?.effect) result.inbound.push(recorded.effect);
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

/** A status event in the form the store keeps; undefined for a status we do not track. */
export function toStatusInput(event: StatusEvent): StatusEventInput | undefined {
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
