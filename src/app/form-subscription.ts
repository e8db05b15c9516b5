import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ConsentProof } from '../domain/consent.ts';
import { ERASED_NUMBER_REASON } from '../domain/erased-recipient.ts';
import { AppError } from '../domain/errors.ts';
import { CONFIRMATION_TTL_MS } from '../domain/signup-form.ts';
import { addContactTags, findContactByPhone, updateContact } from '../store/contacts-repo.ts';
import { isErased } from '../store/erased-numbers-repo.ts';
import { insertFormConfirmation } from '../store/form-confirmations-repo.ts';
import type { DB } from '../store/schema.ts';
import { getSender } from '../store/senders-repo.ts';
import type { SignupFormRow } from '../store/signup-forms-repo.ts';
import { recordOptInWithin } from './consent.ts';

/** Who subscribed, and what the page knows about the moment: the ledger's proof. */
export interface FormSubscriber {
  phone: string;
  firstName: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The form's public address, as the person reached it. */
  formUrl: string;
}

/** What the page tells the person: subscribed, or the WhatsApp message that will confirm it. */
export type SubscriptionOutcome =
  | { kind: 'subscribed' }
  | { kind: 'confirm'; code: string; waNumber: string; expiresAt: number };

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A double opt-in code, e.g. `JOIN-7KQ2XF`: short to type, without look-alike characters. */
export function newConfirmationCode(): string {
  let code = 'JOIN-';
  for (let i = 0; i < 6; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/**
 * Subscribes a person through a form: consent for the form's purpose with the proof in the ledger,
 * the form's tags and the first name on the contact. With double opt-in nothing is granted yet:
 * a code is stored, to be sent from the person's WhatsApp. An erased number is refused either way.
 */
export async function subscribeThroughForm(
  db: Kysely<DB>,
  form: SignupFormRow,
  subscriber: FormSubscriber,
  now: number,
  newCode: () => string = newConfirmationCode,
): Promise<SubscriptionOutcome> {
  const proof = proofOf(form, subscriber, now);
  if (form.double_opt_in !== 1) {
    await db.transaction().execute((trx) => grantThroughForm(trx, form, subscriber, proof, now));
    return { kind: 'subscribed' };
  }
  if (await isErased(db, subscriber.phone))
    throw new AppError('number_erased', ERASED_NUMBER_REASON, { field: 'phone' });
  const waNumber = (await getSender(db, form.sender_id))?.health.displayPhoneNumber?.replace(/\D/g, '');
  if (!waNumber)
    throw new AppError('invalid_state', 'this form cannot take confirmations yet: its WhatsApp number is not known');
  const code = newCode();
  const expiresAt = now + CONFIRMATION_TTL_MS;
  await insertFormConfirmation(
    db,
    {
      code,
      formId: form.id,
      phone: subscriber.phone,
      firstName: subscriber.firstName,
      proofJson: JSON.stringify(proof),
      expiresAt,
    },
    now,
  );
  return { kind: 'confirm', code, waNumber, expiresAt };
}

/** Grants the form's purpose with its proof and gives the contact the form's tags and first name. */
export async function grantThroughForm(
  trx: Kysely<DB>,
  form: SignupFormRow,
  subscriber: Pick<FormSubscriber, 'phone' | 'firstName'>,
  proof: ConsentProof,
  now: number,
): Promise<void> {
  await recordOptInWithin(trx, subscriber.phone, { ...proof, source: `form:${form.slug}`, purpose: form.purpose }, now);
  const contact = await findContactByPhone(trx, subscriber.phone);
  if (!contact) throw new Error(`the contact of ${form.slug}'s grant was not stored`);
  await addContactTags(trx, contact.id, JSON.parse(form.tags) as string[]);
  if (subscriber.firstName !== null) await updateContact(trx, contact.id, { firstName: subscriber.firstName }, now);
}

function proofOf(form: SignupFormRow, subscriber: FormSubscriber, now: number): ConsentProof {
  return {
    formId: form.id,
    formSlug: form.slug,
    formUrl: subscriber.formUrl,
    wording: form.consent_text,
    ip: subscriber.ip ?? undefined,
    userAgent: subscriber.userAgent ?? undefined,
    submittedAt: new Date(now).toISOString(),
  };
}
