import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import {
  countByCountry,
  DEFAULT_RATE_CARD,
  estimateCampaignCost,
  estimateDurationMs,
  parseRateCard,
  pricingCategoryOf,
  unitPriceForCountry,
  unitPriceForPhone,
} from './pricing.ts';

const DAY = 86_400_000;
const card = parseRateCard({
  currency: 'EUR',
  rates: { IN: { marketing: 0.01 }, '+44': { marketing: 0.05, utility: 0.02 } },
  fallback: { marketing: 0.07, utility: 0.008, authentication: 0.009 },
});

describe('default rate card', () => {
  it('is labelled as a default and covers a dozen markets plus a fallback', () => {
    expect(DEFAULT_RATE_CARD.label).toMatch(/default.*override/i);
    expect(Object.keys(DEFAULT_RATE_CARD.rates).length).toBeGreaterThanOrEqual(12);
    for (const rates of Object.values(DEFAULT_RATE_CARD.rates)) {
      expect(rates.marketing).toBeGreaterThan(rates.utility ?? 0);
    }
    expect(DEFAULT_RATE_CARD.fallback.service).toBe(0);
  });
});

describe('unit prices', () => {
  it('uses the country rate, then the calling-code rate, then the fallback', () => {
    expect(unitPriceForPhone(card, '+919812345678', 'marketing')).toBe(0.01);
    expect(unitPriceForPhone(card, '+919812345678', 'utility')).toBe(0.008);
    expect(unitPriceForPhone(card, '+447700900123', 'marketing')).toBe(0.05);
    expect(unitPriceForPhone(card, '+4915112345678', 'authentication')).toBe(0.009);
    expect(unitPriceForCountry(card, undefined, 'service')).toBe(0);
  });
  it('maps template categories to pricing categories', () => {
    expect(pricingCategoryOf('MARKETING')).toBe('marketing');
    expect(pricingCategoryOf('AUTHENTICATION')).toBe('authentication');
  });
});

describe('estimateCampaignCost', () => {
  it('prices each country and sums, most expensive first', () => {
    const counts = countByCountry(['+919812345678', '+919812345679', '+4915112345678', 'junk']);
    expect(counts).toEqual({ IN: 2, DE: 1, '??': 1 });
    const estimate = estimateCampaignCost(counts, 'marketing', card);
    expect(estimate.currency).toBe('EUR');
    expect(estimate.lines.map((l) => [l.country, l.cost])).toEqual([
      ['??', 0.07],
      ['DE', 0.07],
      ['IN', 0.02],
    ]);
    expect(estimate.total).toBe(0.16);
  });
  it('uses the default card when none is given', () => {
    expect(estimateCampaignCost({ IN: 1000 }, 'marketing').total).toBeCloseTo(10.7, 6);
  });
});

describe('estimateDurationMs', () => {
  it('is count / rate without a binding cap', () => {
    expect(estimateDurationMs(8000, 80)).toBe(100_000);
    expect(estimateDurationMs(8000, 80, 100_000)).toBe(100_000);
    expect(estimateDurationMs(0, 80)).toBe(0);
  });
  it('adds a day for each full block of the daily cap', () => {
    // 250/day at 80 mps: 600 recipients = blocks of 250, 250, 100.
    expect(estimateDurationMs(600, 80, 250)).toBe(2 * DAY + Math.ceil((100 * 1000) / 80));
    expect(estimateDurationMs(250, 80, 250)).toBe(Math.ceil((250 * 1000) / 80));
    expect(estimateDurationMs(251, 80, 250)).toBe(DAY + Math.ceil(1000 / 80));
  });
  it('ignores a cap the rate can never reach in a day', () => {
    expect(estimateDurationMs(10_000_000, 1, 100_000)).toBe(10_000_000_000);
  });
  it('refuses a non-positive rate', () => {
    expect(() => estimateDurationMs(1, 0)).toThrow(AppError);
  });
  it('never beats the rate or the cap (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 200_000 }),
        (n, rate, cap) => {
          const ms = estimateDurationMs(n, rate, cap);
          expect(ms).toBeGreaterThanOrEqual(Math.floor((n * 1000) / rate));
          expect(ms).toBeGreaterThanOrEqual(Math.floor((n - 1) / cap) * DAY);
        },
      ),
    );
  });
});

describe('parseRateCard', () => {
  it('reads a JSON string and defaults service to free', () => {
    const parsed = parseRateCard('{"currency":"USD","fallback":{"marketing":1,"utility":2,"authentication":3}}');
    expect(parsed.fallback).toEqual({ service: 0, marketing: 1, utility: 2, authentication: 3 });
    expect(parsed.rates).toEqual({});
  });
  it.each([
    ['not json', 'rateCard'],
    [{ currency: 'usd', fallback: {} }, 'rateCard.currency'],
    [{ currency: 'USD', fallback: { marketing: 1, utility: 1 } }, 'rateCard.fallback.authentication'],
    [{ currency: 'USD', fallback: { marketing: -1 } }, 'rateCard.fallback.marketing'],
    [{ currency: 'USD', fallback: { promo: 1 } }, 'rateCard.fallback.promo'],
    [
      {
        currency: 'USD',
        fallback: { marketing: 1, utility: 1, authentication: 1 },
        rates: { India: { marketing: 1 } },
      },
      'rateCard.rates.India',
    ],
  ])('refuses %j at %s', (input, field) => {
    try {
      parseRateCard(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).field).toBe(field);
    }
  });
});
