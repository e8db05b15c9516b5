import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { erasedStandIn } from '../domain/erased-recipient.ts';
import { countryOfPhone } from '../domain/phone-country.ts';
import { findContactByPhone } from '../store/contacts-repo.ts';
import { lockForErasure, recordErasure } from '../store/erased-numbers-repo.ts';
import {
  addErasureFollowups,
  deleteContact,
  findPersonMessages,
  scrubMessages,
  scrubRecipientWindows,
  scrubReplies,
} from '../store/erasure-repo.ts';
import { deleteUnroutedEvents, deleteWaitingEvents, scrubWebhookInbox } from '../store/erasure-webhooks-repo.ts';
import { deleteConfirmationsOf } from '../store/form-confirmations-repo.ts';
import { skipPendingForContact } from '../store/outbox-repo.ts';
import type { DB } from '../store/schema.ts';
import { deleteSuppression } from '../store/suppressions-repo.ts';
import { deleteDeliveriesNaming } from '../store/webhook-deliveries-repo.ts';
import { requireE164 } from './consent.ts';
import { iso } from './iso-time.ts';

/** What an erasure did, as the API, the CLI and the audit log see it: counts and the erasure record, never the number. */
export interface ErasureResult {
  erasure: { id: number; erased_at: string; requested_by: string; is_repeat: boolean };
  removed: {
    contact: boolean;
    tags: number;
    consent_entries: number;
    suppression_entry: boolean;
    pending_messages_skipped: number;
    messages_scrubbed: number;
    status_events_scrubbed: number;
    replies_scrubbed: number;
    recipient_windows_scrubbed: number;
    waiting_status_events: number;
    webhook_inbox_events: number;
    unrouted_webhook_events: number;
  };
}

/** Who asked, and how the stand-in's random part is drawn (injected by tests). */
export interface ErasureOptions {
  requestedBy: string;
  newToken?: () => string;
}

/**
 * Erases a person (docs/data-rights.md): their contact, tags and consent ledger are deleted; their
 * messages and replies keep status, times and campaign under a stand-in that keeps only the
 * country; stored webhook payloads that name them go; the number is kept only as a salted hash,
 * so it is never messaged or imported again. Waiting messages become skipped, as after an
 * opt-out. Repeating an erasure scrubs again what came since (a reply, say), keeping the first record.
 */
export async function erasePerson(
  db: Kysely<DB>,
  phone: string,
  options: ErasureOptions,
  clock: () => number,
): Promise<ErasureResult> {
  requireE164(phone);
  const standIn = standInFor(phone, options.newToken);
  return db.transaction().execute(async (trx) => {
    await lockForErasure(trx);
    const now = clock();
    const contactId = (await findContactByPhone(trx, phone))?.id;
    const record = await recordErasure(trx, { phone, requestedBy: options.requestedBy, now });
    const removed = await scrubPerson(trx, { phone, contactId, standIn, now });
    return {
      erasure: {
        id: record.id,
        erased_at: iso(record.erasedAt) as string,
        requested_by: record.requestedBy,
        is_repeat: record.isRepeat,
      },
      removed,
    };
  });
}

/** A fresh stand-in for an erased number: its country and a random token. */
function standInFor(phone: string, newToken = () => randomBytes(6).toString('hex')): string {
  return erasedStandIn(countryOfPhone(phone), newToken());
}

/**
 * Scrubs messages to erased numbers that were written after the erasure (a materialiser that read
 * the contact just before it) and were caught before sending: each number gets a stand-in of its own.
 */
export async function scrubMessagesToErased(
  db: Kysely<DB>,
  messages: readonly { id: number; phone: string }[],
): Promise<void> {
  const byPhone = new Map<string, number[]>();
  for (const m of messages) byPhone.set(m.phone, [...(byPhone.get(m.phone) ?? []), m.id]);
  for (const [phone, ids] of byPhone) await scrubMessages(db, ids, standInFor(phone));
}

/** Removes or scrubs every row that names the person, inside the erasure's transaction. */
async function scrubPerson(
  trx: Kysely<DB>,
  person: { phone: string; contactId: number | undefined; standIn: string; now: number },
): Promise<ErasureResult['removed']> {
  const { phone, contactId, standIn } = person;
  const skipped =
    contactId === undefined ? 0 : await skipPendingForContact(trx, contactId, 'suppressed: erased', person.now);
  const messages = await findPersonMessages(trx, { contactId, phone });
  const traces = {
    digits: phone.slice(1),
    wamids: messages.flatMap((m) => (m.wamid === null ? [] : [m.wamid])),
    messageIds: messages.map((m) => m.id),
  };
  // Webhook traces first: they are found by the wamids the scrub replaces.
  const waiting = await deleteWaitingEvents(trx, traces);
  const inbox = await scrubWebhookInbox(trx, traces);
  const unrouted = await deleteUnroutedEvents(trx, traces.digits);
  const scrubbed = await scrubMessages(trx, traces.messageIds, standIn);
  await addErasureFollowups(
    trx,
    messages.filter((m) => m.status === 'sending').map((m) => m.id),
    standIn,
  );
  const contact = contactId === undefined ? undefined : await deleteContact(trx, contactId);
  // Sign-up codes still awaited and events for integrators name the number too.
  await deleteConfirmationsOf(trx, phone);
  await deleteDeliveriesNaming(trx, phone);
  return {
    contact: contact !== undefined,
    tags: contact?.tags ?? 0,
    consent_entries: contact?.consentEntries ?? 0,
    suppression_entry: await deleteSuppression(trx, phone),
    pending_messages_skipped: skipped,
    messages_scrubbed: scrubbed.messages,
    status_events_scrubbed: scrubbed.statusEvents,
    replies_scrubbed: await scrubReplies(trx, phone, standIn),
    recipient_windows_scrubbed: await scrubRecipientWindows(trx, phone, standIn),
    waiting_status_events: waiting,
    webhook_inbox_events: inbox,
    unrouted_webhook_events: unrouted,
  };
}
