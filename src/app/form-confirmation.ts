import type { Kysely } from 'kysely';
import type { ConsentProof } from '../domain/consent.ts';
import { isErased } from '../store/erased-numbers-repo.ts';
import { findAwaitedConfirmation, markConfirmed } from '../store/form-confirmations-repo.ts';
import type { DB } from '../store/schema.ts';
import { getSignupForm } from '../store/signup-forms-repo.ts';
import { grantThroughForm } from './form-subscription.ts';

// The code may come with words around it ("JOIN-7KQ2XF please"), typed in either case.
const CODE_IN_TEXT = /\bJOIN-[A-Z0-9]{6}\b/i;

/** An inbound text that may carry a double opt-in code. */
export interface InboundText {
  phone: string;
  text: string | null;
  wamid: string;
}

/**
 * Grants a form's consent when a person sends its code from the number they gave on the form,
 * inside the caller's transaction (the one storing the message). Answers whether it did.
 */
export async function confirmFromInbound(trx: Kysely<DB>, inbound: InboundText, now: number): Promise<boolean> {
  const code = inbound.text ? CODE_IN_TEXT.exec(inbound.text)?.[0].toUpperCase() : undefined;
  if (!code) return false;
  const awaited = await findAwaitedConfirmation(trx, code, inbound.phone, now);
  if (!awaited) return false;
  const form = await getSignupForm(trx, Number(awaited.form_id));
  // An erasure since the form was sent wins: the person asked to be forgotten.
  if (!form || (await isErased(trx, inbound.phone))) return false;
  const proof = { ...(JSON.parse(awaited.proof) as ConsentProof), confirmedByWamid: inbound.wamid };
  await grantThroughForm(trx, form, { phone: inbound.phone, firstName: awaited.first_name }, proof, now);
  await markConfirmed(trx, Number(awaited.id), now);
  return true;
}
