import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditSource } from '../domain/audit.ts';
import { AppError } from '../domain/errors.ts';
import type { OutboundEventType } from '../domain/outbound-events.ts';
import type { DB } from '../store/schema.ts';
import { type DeliveryRow, listDeliveries } from '../store/webhook-deliveries-repo.ts';
import {
  deleteWebhookSubscription,
  getWebhookSubscription,
  insertWebhookSubscription,
  listWebhookSubscriptions,
  type WebhookSubscriptionRow,
} from '../store/webhook-subscriptions-repo.ts';
import { recordAudit } from './audit.ts';
import type { CredentialBox } from './credential-box.ts';
import { decodeCursor, type Page, toPage } from './cursor.ts';
import { iso } from './iso-time.ts';
import { webhookUrlProblem } from './webhook-target.ts';

/** A subscription as the API lists it: never its secret. */
export interface WebhookView {
  id: string;
  url: string;
  events: OutboundEventType[];
  created_at: string;
}

/** One delivery and how it went. */
export interface DeliveryView {
  id: string;
  event_id: string;
  type: string;
  state: 'pending' | 'delivered' | 'dead';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  finished_at: string | null;
}

/** What creating a subscription needs beyond its input. */
export interface WebhookAdmin {
  box: CredentialBox;
  /** Sandbox mode, or CHORUS_WEBHOOKS_ALLOW_PRIVATE=1: private and loopback targets are allowed. */
  allowPrivateTargets: boolean;
}

/** The owner a subscription's secret is sealed to, so it opens only on its own row. */
export function secretOwner(id: string): string {
  return `webhook:${id}`;
}

function view(row: WebhookSubscriptionRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as OutboundEventType[],
    created_at: new Date(Number(row.created_at)).toISOString(),
  };
}

/** Creates a subscription with a new signing secret, which is in this answer only. */
export async function createWebhookSubscription(
  db: Kysely<DB>,
  admin: WebhookAdmin,
  input: { url: string; events: OutboundEventType[] },
  by: AuditSource,
  now: number,
): Promise<WebhookView & { secret: string }> {
  const problem = webhookUrlProblem(input.url, admin.allowPrivateTargets);
  if (problem) throw new AppError('validation_failed', `url: ${problem}`, { field: 'url' });
  const id = `wh_${randomBytes(8).toString('hex')}`;
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const events = [...new Set(input.events)];
  const row = {
    id,
    url: input.url,
    events: JSON.stringify(events),
    secret_sealed: admin.box.seal(secret, secretOwner(id)),
    created_at: now,
  };
  await insertWebhookSubscription(db, row);
  await recordAudit(
    db,
    { ...by, action: 'webhook.create', target: { type: 'webhook', id }, details: { url: input.url, events } },
    now,
  );
  return { ...view(row), secret };
}

/** Every subscription. */
export async function listWebhookViews(db: Kysely<DB>): Promise<WebhookView[]> {
  return (await listWebhookSubscriptions(db)).map(view);
}

/** Removes a subscription and its deliveries, pending ones included. */
export async function removeWebhookSubscription(db: Kysely<DB>, id: string, by: AuditSource, now: number) {
  const row = await getWebhookSubscription(db, id);
  if (!row || !(await deleteWebhookSubscription(db, id))) throw notFound(id);
  await recordAudit(
    db,
    { ...by, action: 'webhook.delete', target: { type: 'webhook', id }, details: { url: row.url } },
    now,
  );
}

/** One page of a subscription's deliveries, newest first. */
export async function listDeliveriesPage(
  db: Kysely<DB>,
  id: string,
  page: { cursor?: string; limit: number },
): Promise<Page<DeliveryView>> {
  if (!(await getWebhookSubscription(db, id))) throw notFound(id);
  const rows = await listDeliveries(db, id, { beforeId: decodeCursor(page.cursor), limit: page.limit + 1 });
  return toPage(rows, page.limit, (pageRows) => pageRows.map(deliveryView));
}

function deliveryView(row: DeliveryRow): DeliveryView {
  return {
    id: String(row.id),
    event_id: row.event_id,
    type: row.type,
    state: row.state,
    attempts: Number(row.attempts),
    last_status: row.last_status,
    last_error: row.last_error,
    next_attempt_at: row.state === 'pending' ? iso(Number(row.next_attempt_at)) : null,
    created_at: new Date(Number(row.created_at)).toISOString(),
    finished_at: iso(row.finished_at === null ? null : Number(row.finished_at)),
  };
}

function notFound(id: string): AppError {
  return new AppError('not_found', `no webhook ${id}`);
}
