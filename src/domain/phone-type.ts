import { Metadata } from 'libphonenumber-js/max';
import metadataJson from 'libphonenumber-js/max/metadata';

// libphonenumber-js builds a new RegExp for every metadata pattern on every call, which costs
// 5–17 µs a number and dominates a million-row import. This file is the same logic
// (helpers/getNumberType.js, getCountryByNationalNumber.js of libphonenumber-js 1.13) with each
// pattern compiled once; phone.test.ts checks it against the library on every country's example
// mobile and its neighbours.

/** The number types libphonenumber distinguishes; we only accept the mobile-capable ones. */
export type NumberType =
  | 'FIXED_LINE'
  | 'MOBILE'
  | 'FIXED_LINE_OR_MOBILE'
  | 'PREMIUM_RATE'
  | 'TOLL_FREE'
  | 'SHARED_COST'
  | 'VOIP'
  | 'PERSONAL_NUMBER'
  | 'PAGER'
  | 'UAN'
  | 'VOICEMAIL';

const NON_FIXED_LINE_TYPES: NumberType[] = [
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
];

interface TypeDefinition {
  pattern(): string | undefined;
  possibleLengths(): number[] | undefined;
}

interface NumberingPlan {
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | undefined;
  leadingDigits(): string | undefined;
  type(type: NumberType): TypeDefinition | undefined;
}

const metadata = new Metadata();
// Keyed by the metadata's own pattern strings, whose hashes V8 computes once.
const entireCache = new Map<string, RegExp>();
const prefixCache = new Map<string, RegExp>();

function compiled(cache: Map<string, RegExp>, pattern: string, wrap: (p: string) => string): RegExp {
  let regex = cache.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(wrap(pattern));
    cache.set(pattern, regex);
  }
  return regex;
}

function matchesEntirely(text: string, pattern: string): boolean {
  return compiled(entireCache, pattern, (p) => `^(?:${p})$`).test(text);
}

function matchesPrefix(text: string, pattern: string): boolean {
  return compiled(prefixCache, pattern, (p) => `^(?:${p})`).test(text);
}

/** One number type of a numbering plan: its pattern ('' or undefined: none) and possible lengths. */
interface TypePatterns {
  pattern: string | undefined;
  lengths: number[] | undefined;
}

/** What classification reads of one numbering plan. */
interface PlanPatterns {
  nationalNumberPattern: string;
  nationalPrefixForParsing: string | undefined;
  leadingDigits: string | undefined;
  types: Map<NumberType, TypePatterns | undefined>;
}

const ALL_TYPES: NumberType[] = ['FIXED_LINE', ...NON_FIXED_LINE_TYPES];

// libphonenumber-js builds a numbering plan object and a type object on every call: read once
// per country (or calling code) instead, as they would be a tenth of the parse thread's allocations.
const plans = new Map<string, PlanPatterns | undefined>();

function selectPlan(countryOrCallingCode: string): PlanPatterns | undefined {
  if (plans.has(countryOrCallingCode)) return plans.get(countryOrCallingCode);
  metadata.selectNumberingPlan(countryOrCallingCode as Parameters<Metadata['selectNumberingPlan']>[0]);
  const plan = metadata.numberingPlan as unknown as NumberingPlan | undefined;
  const patterns = plan && {
    nationalNumberPattern: plan.nationalNumberPattern(),
    nationalPrefixForParsing: plan.nationalPrefixForParsing(),
    leadingDigits: plan.leadingDigits(),
    types: new Map(
      ALL_TYPES.map((type) => {
        const definition = plan.type(type);
        const patternsOfType = definition && { pattern: definition.pattern(), lengths: definition.possibleLengths() };
        return [type, patternsOfType] as const;
      }),
    ),
  };
  plans.set(countryOrCallingCode, patterns);
  return patterns;
}

function isType(nationalNumber: string, type: NumberType, plan: PlanPatterns): boolean {
  const definition = plan.types.get(type);
  if (!definition?.pattern) return false;
  if (definition.lengths && !definition.lengths.includes(nationalNumber.length)) return false;
  return matchesEntirely(nationalNumber, definition.pattern);
}

/** The type of a parsed number (country or calling code + national number), or undefined when invalid. */
export function classifyNumberType(countryOrCallingCode: string, nationalNumber: string): NumberType | undefined {
  const plan = selectPlan(countryOrCallingCode);
  if (!plan || !matchesEntirely(nationalNumber, plan.nationalNumberPattern)) return undefined;
  if (isType(nationalNumber, 'FIXED_LINE', plan)) {
    const mobile = plan.types.get('MOBILE');
    if (!mobile || mobile.pattern === '' || isType(nationalNumber, 'MOBILE', plan)) return 'FIXED_LINE_OR_MOBILE';
    return 'FIXED_LINE';
  }
  return NON_FIXED_LINE_TYPES.find((type) => isType(nationalNumber, type, plan));
}

const callingCodes = metadataJson.country_calling_codes as Record<string, string[] | undefined>;

/** A number split the way libphonenumber splits it, with its type. */
export interface ClassifiedNumber {
  callingCode: string;
  nationalNumber: string;
  type: NumberType | undefined;
}

/**
 * Splits and classifies international digits (without `+`) when that is unambiguous: the calling
 * code is known and the country has no national prefix at the start of the rest (which the
 * library would strip). Answers undefined otherwise, so the caller falls back to the library.
 */
export function classifyInternationalDigits(digits: string): ClassifiedNumber | undefined {
  for (let length = 1; length <= 3; length++) {
    const callingCode = digits.slice(0, length);
    const countries = callingCodes[callingCode];
    if (countries === undefined) continue;
    const nationalNumber = digits.slice(length);
    const country = countries.length === 1 ? countries[0] : countryByNationalNumber(nationalNumber, countries);
    const plan = selectPlan(country ?? callingCode);
    const prefix = plan?.nationalPrefixForParsing;
    if (prefix && matchesPrefix(nationalNumber, prefix)) return undefined;
    return { callingCode, nationalNumber, type: classifyNumberType(country ?? callingCode, nationalNumber) };
  }
  return undefined;
}

function countryByNationalNumber(nationalNumber: string, countries: string[]): string | undefined {
  for (const country of countries) {
    const leadingDigits = selectPlan(country)?.leadingDigits;
    if (leadingDigits) {
      if (matchesPrefix(nationalNumber, leadingDigits)) return country;
    } else if (classifyNumberType(country, nationalNumber) !== undefined) return country;
  }
  return undefined;
}
