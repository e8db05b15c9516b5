import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AudienceContact, EligibilityRules } from './audience-policy.ts';
import {
  categoriesWithoutConsent,
  checkCampaignContent,
  checkEligibility,
  consentPurposeFor,
  countWithin,
  EXCLUSION_REASONS,
  hasConsentFor,
} from './audience-policy.ts';
import { orderUpdate, springSale, welcome } from './template-fixtures.testing.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12);
const de = (over: Partial<AudienceContact> = {}): AudienceContact => ({
  phone: '+4915112345678',
  marketingConsentAt: null,
  utilityConsentAt: null,
  isSuppressed: false,
  ...over,
});
const marketing: EligibilityRules = { category: 'MARKETING', nowMs: NOW };
const utility: EligibilityRules = { category: 'UTILITY', nowMs: NOW };
const reasonOf = (c: AudienceContact, r: EligibilityRules) => {
  const e = checkEligibility(c, r);
  return e.eligible ? 'eligible' : e.reason;
};

describe('consent rules', () => {
  it('MARKETING needs marketing consent; UTILITY and AUTHENTICATION take either', () => {
    expect(hasConsentFor('MARKETING', de({ utilityConsentAt: 1 }))).toBe(false);
    expect(hasConsentFor('MARKETING', de({ marketingConsentAt: 1 }))).toBe(true);
    expect(hasConsentFor('UTILITY', de({ utilityConsentAt: 1 }))).toBe(true);
    expect(hasConsentFor('UTILITY', de({ marketingConsentAt: 1 }))).toBe(true);
    expect(hasConsentFor('AUTHENTICATION', de({ marketingConsentAt: 1 }))).toBe(true);
    expect(hasConsentFor('AUTHENTICATION', de())).toBe(false);
    expect(consentPurposeFor('AUTHENTICATION')).toBe('utility');
  });
  it('counts a consent time of 0 as given', () => {
    expect(hasConsentFor('MARKETING', de({ marketingConsentAt: 0 }))).toBe(true);
  });
  it('names the categories a consent state no longer covers', () => {
    expect(categoriesWithoutConsent({ marketingAt: 1, utilityAt: 1 })).toEqual([]);
    expect(categoriesWithoutConsent({ marketingAt: null, utilityAt: 1 })).toEqual(['MARKETING']);
    expect(categoriesWithoutConsent({ marketingAt: 1, utilityAt: null })).toEqual([]);
    expect(categoriesWithoutConsent({ marketingAt: null, utilityAt: null })).toEqual([
      'MARKETING',
      'UTILITY',
      'AUTHENTICATION',
    ]);
  });
});

describe('checkEligibility', () => {
  it('lets a consenting contact through', () => {
    expect(checkEligibility(de({ marketingConsentAt: 1 }), marketing)).toEqual({ eligible: true });
    expect(checkEligibility(de({ utilityConsentAt: 1 }), utility)).toEqual({ eligible: true });
  });
  it('excludes with no_consent and says which consent is missing', () => {
    expect(checkEligibility(de({ utilityConsentAt: 1 }), marketing)).toEqual({
      eligible: false,
      reason: 'no_consent',
      detail: 'no marketing consent',
    });
    expect(reasonOf(de(), utility)).toBe('no_consent');
  });
  it('lets suppression win over everything', () => {
    const everythingWrong = de({ phone: 'bad', isSuppressed: true });
    expect(reasonOf(everythingWrong, { ...marketing, paramSkipReason: 'x' })).toBe('suppressed');
    expect(reasonOf(de({ isSuppressed: true, marketingConsentAt: 1 }), marketing)).toBe('suppressed');
  });
  it('excludes invalid numbers', () => {
    expect(reasonOf(de({ phone: '4915112345678', utilityConsentAt: 1 }), utility)).toBe('invalid_number');
    expect(reasonOf(de({ phone: '+999123456789', utilityConsentAt: 1 }), utility)).toBe('invalid_number');
  });
  it('excludes MARKETING to US numbers only, not UTILITY, not Canada', () => {
    const us = de({ phone: '+16505551234', marketingConsentAt: 1 });
    expect(reasonOf(us, marketing)).toBe('marketing_to_us_number');
    expect(reasonOf(us, utility)).toBe('eligible');
    expect(reasonOf({ ...us, phone: '+14165551234' }, marketing)).toBe('eligible');
  });
  it('excludes with the renderer reason as detail', () => {
    const e = checkEligibility(de({ utilityConsentAt: 1 }), {
      ...utility,
      paramSkipReason: 'missing value for {{attr.code}} with no fallback',
    });
    expect(e).toEqual({
      eligible: false,
      reason: 'missing_parameter',
      detail: 'missing value for {{attr.code}} with no fallback',
    });
  });
  it('applies the marketing frequency cap over a rolling window', () => {
    const cap = { maxMessages: 2, windowMs: 7 * DAY };
    const rules = { ...marketing, frequencyCap: cap };
    const twoRecent = de({ marketingConsentAt: 1, recentMarketingSendsMs: [NOW - DAY, NOW - 2 * DAY] });
    expect(checkEligibility(twoRecent, rules)).toEqual({
      eligible: false,
      reason: 'frequency_cap',
      detail: '2 marketing messages in the last 7 days (cap 2)',
    });
    const oneOld = de({ marketingConsentAt: 1, recentMarketingSendsMs: [NOW - DAY, NOW - 7 * DAY] });
    expect(reasonOf(oneOld, rules)).toBe('eligible');
    expect(reasonOf({ ...twoRecent, utilityConsentAt: 1 }, { ...utility, frequencyCap: cap })).toBe('eligible');
    expect(reasonOf(twoRecent, marketing)).toBe('eligible');
  });
  it('only ever answers reasons from the fixed list', () => {
    fc.assert(
      fc.property(
        fc.record({
          phone: fc.constantFrom('+4915112345678', '+16505551234', 'x'),
          marketingConsentAt: fc.option(fc.nat()),
          utilityConsentAt: fc.option(fc.nat()),
          isSuppressed: fc.boolean(),
        }),
        fc.constantFrom('MARKETING', 'UTILITY', 'AUTHENTICATION' as const),
        (contact, category) => {
          const e = checkEligibility(contact, { category, nowMs: NOW });
          if (!e.eligible) expect(EXCLUSION_REASONS).toContain(e.reason);
          if (contact.isSuppressed) expect(e.eligible).toBe(false);
        },
      ),
    );
  });
});

describe('countWithin', () => {
  it('counts within (now − window, now]', () => {
    expect(countWithin([NOW - 10, NOW - 5, NOW, NOW + 1], NOW, 10)).toBe(2);
  });
});

describe('checkCampaignContent', () => {
  it('passes an approved marketing template with an opt-out button', () => {
    expect(checkCampaignContent(welcome, { consentPurpose: 'marketing' })).toEqual({ errors: [], warnings: [] });
  });
  it('refuses a template that is not APPROVED', () => {
    expect(checkCampaignContent({ ...orderUpdate, status: 'PAUSED' }).errors).toEqual([
      'template "order_update" (en_US) is PAUSED; only APPROVED templates can be sent',
    ]);
  });
  it('refuses MARKETING to an audience chosen by utility consent, allows UTILITY to marketing consent', () => {
    expect(checkCampaignContent(welcome, { consentPurpose: 'utility' }).errors).toHaveLength(1);
    expect(checkCampaignContent(orderUpdate, { consentPurpose: 'marketing' }).errors).toEqual([]);
  });
  it('warns about template quality', () => {
    expect(checkCampaignContent({ ...orderUpdate, components: orderUpdate.components }).warnings).toEqual([]);
    expect(checkCampaignContent({ ...springSale, qualityScore: 'RED' }).warnings).toEqual([
      'template "spring_sale" (en_US) has quality RED; Meta may pause it (132015)',
    ]);
  });
});
