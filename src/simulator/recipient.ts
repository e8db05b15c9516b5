// Where a send goes (reference/cloud-api.md §1): `to` may carry `+ - ( )` and spaces; without the
// `+`, Meta puts the business number's own country code in front, which can reach a stranger.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { GraphError } from './graph-errors.ts';

/** The wa_id a send reaches, and whether `to` lacked its `+` (so the sender's country code was put in front). */
export interface Recipient {
  waId: string;
  isMissingPlus: boolean;
}

/** Resolves `to` as Meta does; a 131009 when it is not a phone number. */
export function resolveRecipient(to: string, senderCallingCode: string): Recipient {
  const digits = to.replace(/[\s+\-()]/g, '');
  if (!/^\d{7,15}$/.test(digits) || to.indexOf('+') > 0) {
    throw new GraphError(131009, `The parameter to is not a valid phone number: ${JSON.stringify(to)}.`);
  }
  const isMissingPlus = !to.startsWith('+');
  return { waId: isMissingPlus ? senderCallingCode + digits : digits, isMissingPlus };
}

/** The country calling code of the business number (its display phone number, digits with or without `+`). */
export function callingCodeOf(displayPhoneNumber: string): string {
  const code = parsePhoneNumberFromString(`+${displayPhoneNumber.replace(/\D/g, '')}`)?.countryCallingCode;
  if (code === undefined) throw new Error(`the display phone number ${displayPhoneNumber} has no country calling code`);
  return code;
}
