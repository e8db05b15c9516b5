import type { Kysely } from 'kysely';
import type { SuppressionReason } from '../domain/consent.ts';
import { listConsentEvents } from '../store/consent-repo.ts';
import { findContactByPhone } from '../store/contacts-repo.ts';
import { findErasure } from '../store/erased-numbers-repo.ts';
import { findPersonMessages } from '../store/erasure-repo.ts';
import { listMessageDetails, listRepliesFrom, listStatusEventsOf } from '../store/person-export-repo.ts';
import type { DB } from '../store/schema.ts';
import { findSuppressionEntry } from '../store/suppressions-repo.ts';
import { requireE164 } from './consent.ts';
import { type ContactJson, toContactJson } from './contact-view.ts';
import { iso } from './iso-time.ts';

/** Everything Chorus holds about one number, as GET /api/v1/contacts/{phone}/export and `chorus contacts export` answer it. */
export interface PersonExport {
  phone: string;
  exported_at: string;
  contact: ContactJson | null;
  /** The consent ledger, oldest first, with each entry's proof. */
  consent: {
    action: string;
    purpose: string;
    source: string;
    channel: string;
    at: string;
    recorded_at: string;
    proof: Record<string, unknown>;
  }[];
  suppression: { reason: SuppressionReason; source: string | null; since: string | null } | null;
  /** Set when the number was erased: what is left of the person is this record, nothing else. */
  erasure: { erased_at: string; requested_by: string } | null;
  messages: ReturnType<typeof toMessageJson>[];
  /** Messages the person sent us, with Meta's object as received. */
  replies: ReturnType<typeof toReplyJson>[];
}

/**
 * Gathers everything held about a number: its contact, consent ledger, suppression, the messages
 * sent to it (status, times, template, campaign, body, status events) and the ones it sent. An
 * unknown number answers empty sections, which is the truthful answer to "what do you hold on me".
 */
export async function exportPerson(db: Kysely<DB>, phone: string, clock: () => number): Promise<PersonExport> {
  requireE164(phone);
  const contact = await findContactByPhone(db, phone);
  const suppression = await findSuppressionEntry(db, phone);
  const erasure = await findErasure(db, phone);
  const { messages, replies } = await readPersonMessages(db, phone, contact?.id);
  return {
    phone,
    exported_at: iso(clock()) as string,
    contact: contact ? toContactJson(contact, erasure ? 'erased' : (suppression?.reason ?? null)) : null,
    consent: contact ? await readConsentLedger(db, contact.id) : [],
    suppression: erasure
      ? { reason: 'erased', source: null, since: iso(erasure.erasedAt) }
      : suppression
        ? { reason: suppression.reason, source: suppression.source, since: iso(Number(suppression.created_at)) }
        : null,
    erasure: erasure ? { erased_at: iso(erasure.erasedAt) as string, requested_by: erasure.requestedBy } : null,
    messages,
    replies,
  };
}

/** The messages sent to a number (with their status events) and the ones it sent us, oldest first. */
export async function readPersonMessages(
  db: Kysely<DB>,
  phone: string,
  contactId: number | undefined,
): Promise<Pick<PersonExport, 'messages' | 'replies'>> {
  const ids = (await findPersonMessages(db, { contactId, phone })).map((m) => m.id);
  const events = await listStatusEventsOf(db, ids);
  const messages = (await listMessageDetails(db, ids)).map((m) =>
    toMessageJson(
      m,
      events.filter((e) => e.message_id === m.id),
    ),
  );
  return { messages, replies: (await listRepliesFrom(db, phone)).map(toReplyJson) };
}

/** A contact's consent ledger, oldest first, each entry with its proof. */
export async function readConsentLedger(db: Kysely<DB>, contactId: number): Promise<PersonExport['consent']> {
  return (await listConsentEvents(db, contactId)).map(toLedgerJson);
}

function toLedgerJson(e: Awaited<ReturnType<typeof listConsentEvents>>[number]): PersonExport['consent'][number] {
  return {
    action: e.action,
    purpose: e.purpose,
    source: e.source,
    channel: e.channel,
    at: iso(Number(e.occurred_at)) as string,
    recorded_at: iso(Number(e.recorded_at)) as string,
    proof: JSON.parse(e.proof) as Record<string, unknown>,
  };
}

type MessageDetail = Awaited<ReturnType<typeof listMessageDetails>>[number];
type StatusEvent = Awaited<ReturnType<typeof listStatusEventsOf>>[number];

function toMessageJson(m: MessageDetail, events: readonly StatusEvent[]) {
  const at = (ms: number | null) => iso(ms === null ? null : Number(ms));
  return {
    campaign: { id: String(m.campaign_id), name: m.campaign_name, sender: m.sender_id },
    template: { name: m.template_name, language: m.template_language, category: m.template_category },
    status: m.status,
    status_reason: m.status_reason,
    /** The template as rendered for this person: parameters filled in (null once retention purged it). */
    body: m.rendered === null ? null : (JSON.parse(m.rendered) as unknown),
    attempts: m.attempts,
    wamid: m.wamid,
    error: m.error_code === null ? null : { code: m.error_code, title: m.error_title, details: m.error_details },
    pricing_category: m.pricing_category,
    billable: m.billable === null ? null : Number(m.billable) === 1,
    accepted_at: at(m.accepted_at),
    sent_at: at(m.sent_at),
    delivered_at: at(m.delivered_at),
    read_at: at(m.read_at),
    failed_at: at(m.failed_at),
    updated_at: at(m.updated_at),
    status_events: events.map((e) => ({ status: e.status, at: at(e.occurred_at), received_at: at(e.received_at) })),
  };
}

function toReplyJson(r: Awaited<ReturnType<typeof listRepliesFrom>>[number]) {
  return {
    wamid: r.wamid,
    type: r.type,
    text: r.text,
    in_reply_to: r.context_wamid,
    campaign_id: r.campaign_id === null ? null : String(r.campaign_id),
    business_number_id: r.phone_number_id,
    at: iso(Number(r.occurred_at)),
    received_at: iso(Number(r.received_at)),
    /** Meta's message object as received ({} once retention purged it). */
    raw: JSON.parse(r.payload) as unknown,
  };
}
