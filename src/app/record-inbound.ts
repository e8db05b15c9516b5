import type { Transaction } from 'kysely';
import type { InboundMessageEvent } from '../cloud-api/webhook-events.ts';
import type { KeywordMatcher } from '../domain/opt-out-keywords.ts';
import { findContactId, findRepliedMessage, insertInbound } from '../store/inbound-repo.ts';
import type { DB } from '../store/schema.ts';

/** What an inbound message or preference asks Chorus to do once the batch is durable. */
export type InboundEffect =
  | { kind: 'keyword'; phone: string; intent: 'opt_out' | 'opt_in'; evidence: string; wamid: string }
  | { kind: 'preference'; phone: string; value: string; category: string };

/** A message someone sent us, stored for the first time: a reply, or a double opt-in code. */
export interface InboundReceived {
  phone: string;
  wamid: string;
  type: string;
  text: string | null;
  /** The campaign it answers, when it answers one. */
  campaignId: number | null;
  occurredAt: number;
}

/** What storing one inbound message gave: the message (undefined for a repeat) and what it asks for. */
export interface InboundRecorded {
  received: InboundReceived;
  effect: InboundEffect | undefined;
}

// A reply with no context counts toward the latest campaign message sent in this window.
const REPLY_ATTRIBUTION_MS = 72 * 60 * 60 * 1000;

/** Stores an inbound message once, attributes it to the campaign message it answers, and spots opt-out words. */
export async function recordInbound(
  tx: Transaction<DB>,
  event: InboundMessageEvent,
  now: number,
  matchKeyword: KeywordMatcher,
): Promise<InboundRecorded | undefined> {
  const phone = `+${event.from}`;
  const replied = await findRepliedMessage(tx, {
    phone,
    contextWamid: event.contextWamid,
    since: event.timestampMs - REPLY_ATTRIBUTION_MS,
  });
  const isNew = await insertInbound(
    tx,
    {
      wamid: event.wamid,
      phone,
      type: event.type,
      text: event.text,
      contextWamid: event.contextWamid,
      phoneNumberId: event.phoneNumberId,
      occurredAt: event.timestampMs,
      payload: JSON.stringify(event.raw),
    },
    replied,
    await findContactId(tx, phone),
    now,
  );
  if (!isNew) return undefined;
  const received: InboundReceived = {
    phone,
    wamid: event.wamid,
    type: event.type,
    text: event.text,
    campaignId: replied?.campaignId ?? null,
    occurredAt: event.timestampMs,
  };
  return { received, effect: keywordEffect(event, phone, matchKeyword) };
}

function keywordEffect(event: InboundMessageEvent, phone: string, matchKeyword: KeywordMatcher) {
  // A quick-reply payload ("Stop promotions") counts as much as typed text.
  for (const said of [event.payload, event.text]) {
    const intent = said ? matchKeyword(said) : null;
    if (intent && said)
      return { kind: 'keyword', phone, intent, evidence: `${event.type} "${said}"`, wamid: event.wamid } as const;
  }
  return undefined;
}
