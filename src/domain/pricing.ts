// What a campaign will cost and how long it will take. Meta charges per delivered template by category and the
// recipient's country (per-message pricing since 1 Jul 2025, reference/cloud-api.md §6); the rates change, so
// the card is configuration and the built-in one is only a labelled default.
import { AppError } from './errors.ts';
import { callingCodeOf, countryOfPhone } from './phone-country.ts';
import type { TemplateCategory } from './template.ts';

/** Pricing categories (§6); `service` is free-form, in-window messaging. */
export const PRICING_CATEGORIES = ['marketing', 'utility', 'authentication', 'service'] as const;
/** One of PRICING_CATEGORIES. */
export type PricingCategory = (typeof PRICING_CATEGORIES)[number];

/** Per-message prices for some categories, in the card's currency. */
export type CategoryRates = Partial<Record<PricingCategory, number>>;

/** A rate card: rates by ISO country (`IN`) or calling code (`+91`), and a fallback for everywhere else. */
export interface RateCard {
  currency: string;
  label: string;
  rates: Readonly<Record<string, CategoryRates>>;
  fallback: Readonly<Record<PricingCategory, number>>;
}

const r = (marketing: number, utility: number, authentication = utility): CategoryRates => ({
  marketing,
  utility,
  authentication,
});

/**
 * DEFAULT, APPROXIMATE figures in USD per delivered message, after Meta's published 2025 rate card for a dozen big
 * markets. Override them with your own card (parseRateCard); service messages are counted free (§6 notes a
 * reported change from Oct 2026).
 */
export const DEFAULT_RATE_CARD: RateCard = {
  currency: 'USD',
  label: 'Chorus default rates (approximate, override with your own card)',
  rates: {
    AR: r(0.0618, 0.026),
    BR: r(0.0625, 0.0068),
    CO: r(0.0125, 0.0008),
    DE: r(0.1365, 0.055),
    EG: r(0.0644, 0.0036),
    ES: r(0.0615, 0.02),
    FR: r(0.0859, 0.03),
    GB: r(0.0529, 0.022),
    ID: r(0.0411, 0.025),
    IN: r(0.0107, 0.0014),
    IT: r(0.0691, 0.03),
    MX: r(0.0305, 0.0085),
    NG: r(0.0516, 0.0067),
    SA: r(0.0455, 0.0107),
    TR: r(0.0109, 0.0053),
    US: r(0.025, 0.0034, 0.0135),
    CA: r(0.025, 0.0034, 0.0135),
    ZA: r(0.0379, 0.0076),
  },
  fallback: { marketing: 0.0604, utility: 0.0077, authentication: 0.0077, service: 0 },
};

/** The pricing category of a template category. */
export function pricingCategoryOf(category: TemplateCategory): PricingCategory {
  return category.toLowerCase() as PricingCategory;
}

/** The price of one message to this country (ISO code) in this category. */
export function unitPriceForCountry(card: RateCard, country: string | undefined, category: PricingCategory): number {
  const byCountry = country === undefined ? undefined : card.rates[country]?.[category];
  return byCountry ?? card.fallback[category];
}

/** The price of one message to this E.164 number: its country's rate, else its calling code's, else the fallback. */
export function unitPriceForPhone(card: RateCard, phone: string, category: PricingCategory): number {
  const byCountry = card.rates[countryOfPhone(phone) ?? '']?.[category];
  if (byCountry !== undefined) return byCountry;
  const code = callingCodeOf(phone);
  return (code === undefined ? undefined : card.rates[`+${code}`]?.[category]) ?? card.fallback[category];
}

/** Counts recipients per ISO country (`??` when unknown), the input of estimateCampaignCost. */
export function countByCountry(phones: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const phone of phones) {
    const country = countryOfPhone(phone) ?? '??';
    counts[country] = (counts[country] ?? 0) + 1;
  }
  return counts;
}

/** One line of a cost estimate. */
export interface CostLine {
  country: string;
  count: number;
  unitPrice: number;
  cost: number;
}

/** A campaign's estimated cost: lines by country, most expensive first, and the total. */
export interface CostEstimate {
  currency: string;
  category: PricingCategory;
  total: number;
  lines: CostLine[];
}

/** Estimates a campaign's cost from its recipients per country, if every message is delivered. */
export function estimateCampaignCost(
  countsByCountry: Readonly<Record<string, number>>,
  category: PricingCategory,
  card: RateCard = DEFAULT_RATE_CARD,
): CostEstimate {
  const lines = Object.entries(countsByCountry).map(([country, count]) => {
    const unitPrice = unitPriceForCountry(card, country, category);
    return { country, count, unitPrice, cost: roundMoney(unitPrice * count) };
  });
  lines.sort((a, b) => b.cost - a.cost || a.country.localeCompare(b.country));
  const total = roundMoney(lines.reduce((sum, line) => sum + line.cost, 0));
  return { currency: card.currency, category, total, lines };
}

function roundMoney(amount: number): number {
  return Math.round(amount * 10_000) / 10_000;
}

/**
 * How long sending `recipients` new recipients takes at `ratePerSec` under a rolling-24 h unique-recipient cap
 * (§3): each block of `dailyCap` recipients starts 24 h after the previous one started, unless the rate alone is
 * slower. Null cap = unlimited.
 */
export function estimateDurationMs(recipients: number, ratePerSec: number, dailyCap: number | null = null): number {
  if (!(ratePerSec > 0))
    throw new AppError('validation_failed', 'ratePerSec must be positive', { field: 'ratePerSec' });
  if (recipients <= 0) return 0;
  const perMessageMs = 1000 / ratePerSec;
  const dayMs = 86_400_000;
  if (dailyCap === null || dailyCap * perMessageMs >= dayMs) return Math.ceil(recipients * perMessageMs);
  if (dailyCap < 1) return Number.POSITIVE_INFINITY;
  const last = recipients - 1;
  return Math.ceil(Math.floor(last / dailyCap) * dayMs + ((last % dailyCap) + 1) * perMessageMs);
}

/** Parses a JSON rate card (`{"currency","label"?,"rates":{"IN":{"marketing":0.01}},"fallback":{…}}`). */
export function parseRateCard(input: unknown): RateCard {
  const data = typeof input === 'string' ? parseJson(input) : input;
  if (!isRecord(data)) throw cardError('rateCard', 'must be a JSON object');
  const currency = data['currency'];
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw cardError('rateCard.currency', 'must be an ISO 4217 code such as "USD"');
  }
  const fallback = parseRates(data['fallback'], 'rateCard.fallback');
  for (const category of ['marketing', 'utility', 'authentication'] as const) {
    if (fallback[category] === undefined) throw cardError(`rateCard.fallback.${category}`, 'is required');
  }
  const ratesIn = data['rates'] ?? {};
  if (!isRecord(ratesIn)) throw cardError('rateCard.rates', 'must be an object');
  const rates: Record<string, CategoryRates> = {};
  for (const [key, value] of Object.entries(ratesIn)) {
    if (!/^([A-Z]{2}|\+[1-9]\d{0,2})$/.test(key)) {
      throw cardError(`rateCard.rates.${key}`, 'key must be an ISO country ("IN") or a calling code ("+91")');
    }
    rates[key] = parseRates(value, `rateCard.rates.${key}`);
  }
  const label = typeof data['label'] === 'string' ? data['label'] : 'custom rate card';
  return { currency, label, rates, fallback: { service: 0, ...fallback } as Record<PricingCategory, number> };
}

function parseRates(value: unknown, path: string): CategoryRates {
  if (!isRecord(value)) throw cardError(path, 'must be an object of category → price');
  const rates: CategoryRates = {};
  for (const [category, price] of Object.entries(value)) {
    if (!(PRICING_CATEGORIES as readonly string[]).includes(category)) {
      throw cardError(`${path}.${category}`, `unknown category (use ${PRICING_CATEGORIES.join(', ')})`);
    }
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
      throw cardError(`${path}.${category}`, 'must be a non-negative number');
    }
    rates[category as PricingCategory] = price;
  }
  return rates;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('validation_failed', 'rateCard: not valid JSON', { field: 'rateCard', cause: error });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cardError(field: string, message: string): AppError {
  return new AppError('validation_failed', `${field}: ${message}`, { field });
}
