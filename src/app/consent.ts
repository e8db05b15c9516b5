import type { Kysely } from 'kysely';
import { categoriesWithoutConsent } from '../domain/audience-policy.ts';
import {
  type ConsentAction,
  type ConsentProof,
  type ConsentPurpose,
  type ConsentState,
  deriveConsent,
  NO_CONSENT,
  serializeProof,
} from '../domain/consent.ts';
import { ERASED_NUMBER_REASON } from '../domain/erased-recipient.ts';
import { AppError } from '../domain/errors.ts';
import { isE164 } from '../domain/phone.ts';
import { appendConsentEvent, findContactConsentFacts, setConsentProjection } from '../store/consent-repo.ts';
import { findContactByPhone, insertBareContact } from '../store/contacts-repo.ts';
import { isErased, lockAgainstErasure } from '../store/erased-numbers-repo.ts';
import { skipPendingForContact } from '../store/outbox-repo.ts';
import type { DB } from '../store/schema.ts';
import { addSuppression, findSuppressions, removeSuppression } from '../store/suppressions-repo.ts';
import { type ConsentStatusJson, consentJson } from './contact-view.ts';
import { enqueueOutboundEvents } from './outbound-events.ts';

/** Who recorded a grant or revocation, and the proof that goes into the ledger. */
export interface ConsentEvidence extends ConsentProof {
  /** Where it came from: `api`, `cli`, `webhook:stop`, a form name… */
  source: string;
  /** Which purpose; opt-out without one revokes everything and suppresses the number. */
  purpose?: ConsentPurpose;
}

/** Refuses anything but an E.164 phone, the key of contacts and suppressions. */
export function requireE164(phone: string): string {
  if (!isE164(phone)) {
    throw new AppError('invalid_phone', `"${phone}" is not an E.164 phone number like +4915112345678`, {
      field: 'phone',
    });
  }
  return phone;
}

/**
 * Records an opt-out. Without a purpose it revokes marketing and utility and puts the number on
 * the suppression list (reason opted_out), even when no contact has it; with a purpose (e.g. a
 * "Stop promotions" button) it revokes only that purpose. Either way the number's messages still
 * waiting in any campaign, running or paused, that consent no longer allows are skipped at once.
 */
export async function recordOptOut(
  db: Kysely<DB>,
  phone: string,
  evidence: ConsentEvidence,
  clock: () => number,
): Promise<ConsentStatusJson> {
  return inTransactionWithStatus(db, phone, (trx) => recordOptOutWithin(trx, phone, evidence, clock()));
}

/** recordOptOut inside a transaction the caller holds (a webhook batch applies its opt-outs in its own). */
export async function recordOptOutWithin(
  trx: Kysely<DB>,
  phone: string,
  evidence: ConsentEvidence,
  now: number,
): Promise<void> {
  const contact = await findContactByPhone(trx, phone);
  const purposes: ConsentPurpose[] = evidence.purpose ? [evidence.purpose] : ['marketing', 'utility'];
  // An erased number is suppressed for good by its hash alone: it is never listed in plain again.
  const isErasedNumber = await isErased(trx, phone);
  if (!evidence.purpose && !isErasedNumber)
    await addSuppression(trx, { phone, reason: 'opted_out', source: evidence.source, now });
  // Integrators hear of it in the same transaction; an erased number is never told to anyone.
  const data = { phone, purpose: evidence.purpose ?? null, source: evidence.source };
  if (!isErasedNumber) await enqueueOutboundEvents(trx, [{ type: 'contact.opted_out', data }], now);
  // Messages are materialised from contacts only: a number without one has none waiting.
  if (!contact) return;
  const consent = await appendAndProject(trx, contact.id, 'revoke', purposes, evidence, now);
  const why = evidence.evidence ?? `opted out via ${evidence.source}`;
  if (!evidence.purpose) await skipPendingForContact(trx, contact.id, `suppressed: ${why}`, now);
  else {
    const barred = categoriesWithoutConsent(consent);
    const reason = `no_consent: ${evidence.purpose} consent revoked (${why})`;
    if (barred.length > 0) await skipPendingForContact(trx, contact.id, reason, now, barred);
  }
}

/**
 * Records an opt-in (default purpose marketing, which covers utility), creating the contact when
 * it is new, and lifts an opted_out suppression; blocked and manual numbers stay suppressed. An
 * erased number is refused (number_erased): the person asked to be forgotten.
 */
export async function recordOptIn(
  db: Kysely<DB>,
  phone: string,
  evidence: ConsentEvidence,
  clock: () => number,
): Promise<ConsentStatusJson> {
  return inTransactionWithStatus(db, phone, (trx) => recordOptInWithin(trx, phone, evidence, clock()));
}

/** Runs one consent change in its own transaction and answers the number's consent afterwards. */
async function inTransactionWithStatus(
  db: Kysely<DB>,
  phone: string,
  change: (trx: Kysely<DB>) => Promise<void>,
): Promise<ConsentStatusJson> {
  requireE164(phone);
  return db.transaction().execute(async (trx) => {
    await change(trx);
    return consentStatus(trx, phone);
  });
}

/** recordOptIn inside a transaction the caller holds. */
export async function recordOptInWithin(
  trx: Kysely<DB>,
  phone: string,
  evidence: ConsentEvidence,
  now: number,
): Promise<void> {
  await lockAgainstErasure(trx);
  if (await isErased(trx, phone)) throw new AppError('number_erased', ERASED_NUMBER_REASON, { field: 'phone' });
  const contactId = (await findContactByPhone(trx, phone))?.id ?? (await insertBareContact(trx, phone, now));
  await appendAndProject(trx, contactId, 'grant', [evidence.purpose ?? 'marketing'], evidence, now);
  await removeSuppression(trx, phone, ['opted_out']);
}

/** Appends ledger entries and answers the contact's consent they lead to. */
async function appendAndProject(
  trx: Kysely<DB>,
  contactId: number,
  action: ConsentAction,
  purposes: readonly ConsentPurpose[],
  evidence: ConsentEvidence,
  now: number,
): Promise<ConsentState> {
  const proofJson = serializeProof(evidence);
  for (const purpose of purposes) {
    await appendConsentEvent(trx, {
      contactId,
      action,
      purpose,
      source: evidence.source,
      occurredAt: now,
      recordedAt: now,
      proofJson,
    });
  }
  const state = deriveConsent(await findContactConsentFacts(trx, contactId));
  await setConsentProjection(trx, contactId, state, now);
  return state;
}

/** Where a phone stands now: consent from its contact (if any) and its suppression. */
export async function consentStatus(db: Kysely<DB>, phone: string): Promise<ConsentStatusJson> {
  const contact = await findContactByPhone(db, phone);
  const suppressions = await findSuppressions(db, [phone]);
  const state = contact ? { marketingAt: contact.marketingConsentAt, utilityAt: contact.utilityConsentAt } : NO_CONSENT;
  return { phone, consent: consentJson(state), suppressed: suppressions.get(phone) ?? null };
}
