// Phone numbers are personal data: logs show enough of one to tell numbers apart and to match a
// support request (the country and network prefix, the last three digits), never the whole number.

const KEPT_PREFIX_DIGITS = 5;
const KEPT_SUFFIX_DIGITS = 3;
// Runs of digits long enough to be a phone number (E.164 has 7–15), with a `+` or its URL form.
const PHONE_IN_TEXT = /(?:\+|%2B)?\d{7,15}/gi;

/** Masks a phone number or WhatsApp id: `+4915112345678` → `+49151*****678`; the length is kept. */
export function maskPhone(phone: string): string {
  const plus = phone.startsWith('+') ? '+' : phone.toUpperCase().startsWith('%2B') ? '%2B' : '';
  const digits = phone.slice(plus.length);
  const prefix = digits.length > KEPT_PREFIX_DIGITS + KEPT_SUFFIX_DIGITS ? KEPT_PREFIX_DIGITS : 2;
  const suffix = Math.min(KEPT_SUFFIX_DIGITS, Math.max(0, digits.length - prefix - 1));
  const hidden = Math.max(0, digits.length - prefix - suffix);
  return `${plus}${digits.slice(0, prefix)}${'*'.repeat(hidden)}${digits.slice(digits.length - suffix)}`;
}

/** Masks every phone-number-like run of digits in a free text (a URL path, an error message). */
export function maskPhonesInText(text: string): string {
  return text.replace(PHONE_IN_TEXT, maskPhone);
}
