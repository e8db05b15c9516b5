import type { WebhookEvent } from '../cloud-api/webhook-events.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import { keepUnroutedEvents } from '../store/webhook-unrouted-repo.ts';

/** Which senders this Chorus has, by business number and by WABA. */
export interface SenderDirectory {
  senderOfPhoneNumber(phoneNumberId: string): string | undefined;
  hasBusinessAccount(businessAccountId: string): boolean;
}

/**
 * Splits a verified batch by the sender each event is for: message and status events by the
 * business number in their metadata, account and template events by their WABA. Events for a
 * number or WABA no sender has are not Chorus's to apply.
 */
export function routeWebhookEvents(
  events: readonly WebhookEvent[],
  directory: SenderDirectory,
): { routed: WebhookEvent[]; unrouted: WebhookEvent[] } {
  const routed: WebhookEvent[] = [];
  const unrouted: WebhookEvent[] = [];
  for (const event of events) (isOurs(event, directory) ? routed : unrouted).push(event);
  return { routed, unrouted };
}

function isOurs(event: WebhookEvent, directory: SenderDirectory): boolean {
  switch (event.kind) {
    case 'status':
    case 'message':
    case 'system_error':
      return event.phoneNumberId !== null && directory.senderOfPhoneNumber(event.phoneNumberId) !== undefined;
    case 'unknown':
      // Not understood, so applied to nothing: the intake logs and ignores it.
      return true;
    default:
      return directory.hasBusinessAccount(event.wabaId);
  }
}

/** Keeps events for no known sender, whole, and says so in the log: they are never applied. */
export async function setAsideUnrouted(
  database: Database,
  events: readonly WebhookEvent[],
  logger: Logger,
  now: number,
): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((event) => ({
    kind: event.kind,
    phoneNumberId: 'phoneNumberId' in event ? event.phoneNumberId : null,
    businessAccountId: 'wabaId' in event ? event.wabaId : null,
    payload: JSON.stringify(event.raw),
  }));
  await keepUnroutedEvents(database.db, rows, now);
  const numbers = [...new Set(rows.map((r) => r.phoneNumberId ?? `WABA ${r.businessAccountId}`))];
  logger.warn(
    { events: rows.length, for: numbers },
    'webhook events for a phone number or WABA no sender has: kept in webhook_unrouted, not applied',
  );
}
