// What stands in for an erased person in the rows kept so a campaign's counts, replies and costs
// stay true: a stand-in that keeps only the country (prices depend on it) and a random token shared
// by that person's rows (so "replies from N numbers" still counts them once), never the number.

const PREFIX = 'erased:';
// libphonenumber's code for an unknown region.
const UNKNOWN_COUNTRY = 'ZZ';

/** Why an import row, an opt-in or an upsert of an erased number is refused. */
export const ERASED_NUMBER_REASON =
  "this number was erased at the person's request; it cannot be imported or opted in again";

/** The stand-in for an erased person's phone: `erased:DE:1f2e3d4c5b6a`. */
export function erasedStandIn(country: string | undefined, token: string): string {
  return `${PREFIX}${country ?? UNKNOWN_COUNTRY}:${token}`;
}

/** True when a phone column holds an erased person's stand-in rather than a number. */
export function isErasedStandIn(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** The ISO country a stand-in kept, or undefined when it was not known. */
export function countryOfStandIn(standIn: string): string | undefined {
  const country = standIn.slice(PREFIX.length).split(':')[0];
  return country === undefined || country === UNKNOWN_COUNTRY || country === '' ? undefined : country;
}

/** The stand-in of a wamid or other unique key of an erased row: unique per row, saying nothing. */
export function erasedKey(rowId: number): string {
  return `${PREFIX}${rowId}`;
}
