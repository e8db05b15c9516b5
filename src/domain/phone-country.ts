// Which country a number belongs to, for time zones, pricing and the US marketing rule.
import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import metadataJson from 'libphonenumber-js/max/metadata';
import { countryOfStandIn, isErasedStandIn } from './erased-recipient.ts';

const callingCodes = metadataJson.country_calling_codes as Record<string, string[] | undefined>;

/** The country calling code of an E.164 number (`+4915…` → `49`) or of an erased stand-in, or undefined if none is known. */
export function callingCodeOf(e164: string): string | undefined {
  if (isErasedStandIn(e164)) {
    const country = countryOfStandIn(e164);
    return country !== undefined && isSupportedCountry(country) ? getCountryCallingCode(country) : undefined;
  }
  for (let length = 1; length <= 3; length++) {
    const code = e164.slice(1, 1 + length);
    if (callingCodes[code]) return code;
  }
  return undefined;
}

/** Calling codes other than +1 that several countries share: only the whole number names its country. */
export const SHARED_CALLING_CODES: readonly string[] = Object.entries(callingCodes)
  .filter(([code, countries]) => code !== '1' && (countries?.length ?? 0) > 1)
  .map(([code]) => code);

/**
 * The ISO 3166 alpha-2 country of an E.164 number. Most calling codes belong to one country and are
 * answered from the metadata; shared ones (+1, +7, +44…) are parsed, falling back to the code's main country.
 */
export function countryOfPhone(e164: string): string | undefined {
  // An erased person's stand-in keeps the country alone, so prices and cost reports stay true.
  if (isErasedStandIn(e164)) return countryOfStandIn(e164);
  if (!e164.startsWith('+')) return undefined;
  const code = callingCodeOf(e164);
  const countries = code === undefined ? undefined : callingCodes[code];
  if (!countries) return undefined;
  if (countries.length === 1) return countries[0];
  if (code === '1') return nanpCountry(e164) ?? countries[0];
  return parsePhoneNumberFromString(e164)?.country ?? countries[0];
}

// Under +1 the area code alone decides the country, so each area code is parsed once (parsing costs ~40 µs).
const nanpByAreaCode = new Map<string, string | undefined>();

function nanpCountry(e164: string): string | undefined {
  const areaCode = e164.slice(2, 5);
  if (nanpByAreaCode.has(areaCode)) return nanpByAreaCode.get(areaCode);
  const country = parsePhoneNumberFromString(e164)?.country;
  // Only remember answers for valid numbers: an invalid subscriber part says nothing about the area code.
  if (country !== undefined) nanpByAreaCode.set(areaCode, country);
  return country;
}

/** US regions under +1: the States and the territories with US area codes (PR, GU, VI, AS, MP). */
export const US_REGIONS = ['US', 'PR', 'GU', 'VI', 'AS', 'MP'] as const;

/**
 * Whether Meta treats the number as a US number for the marketing ban (reference/cloud-api.md §3): +1 and
 * a US area code. Canada and the Caribbean share +1 but are not included.
 */
export function isUsNumber(e164: string): boolean {
  if (!e164.startsWith('+1')) return false;
  const country = countryOfPhone(e164);
  return country !== undefined && (US_REGIONS as readonly string[]).includes(country);
}
