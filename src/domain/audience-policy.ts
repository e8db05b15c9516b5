// Who may get a campaign's message, and why not: one reason per excluded contact, from a fixed list, so reports
// and the dry run can count them. Consent is resolved by the ledger (consent.ts); this file only applies it.
import type { ConsentPurpose, ConsentState } from './consent.ts';
import { isE164 } from './phone.ts';
import { countryOfPhone, isUsNumber } from './phone-country.ts';
import type { TemplateCategory, TemplateDefinition } from './template.ts';
import { isSendable, TEMPLATE_CATEGORIES } from './template.ts';

/** Why a contact gets no message, in the order they are checked (the first that applies wins). */
export const EXCLUSION_REASONS = [
  'suppressed',
  'invalid_number',
  'no_consent',
  'marketing_to_us_number',
  'missing_parameter',
  'frequency_cap',
  'beyond_daily_quota',
] as const;
/** One of EXCLUSION_REASONS. */
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** What eligibility needs to know about a contact; times are epoch ms, null when absent. */
export interface AudienceContact {
  phone: string;
  marketingConsentAt: number | null;
  utilityConsentAt: number | null;
  isSuppressed: boolean;
  /** Send times of this contact's recent marketing messages (any campaign), for the frequency cap. */
  recentMarketingSendsMs?: readonly number[];
}

/** An optional per-contact marketing cap: at most `maxMessages` per rolling `windowMs`. */
export interface FrequencyCap {
  maxMessages: number;
  windowMs: number;
}

/** The campaign-side inputs of an eligibility check. */
export interface EligibilityRules {
  category: TemplateCategory;
  nowMs: number;
  frequencyCap?: FrequencyCap | null;
  /** The renderer's skip reason for this contact (`missing value for {{attr.code}} …`), if it gave one. */
  paramSkipReason?: string | null;
}

/** Eligible, or the reason and a human detail for the `skipped` message. */
export type Eligibility = { eligible: true } | { eligible: false; reason: ExclusionReason; detail: string };

/** The consent purpose a template category needs: MARKETING needs marketing, the rest utility. */
export function consentPurposeFor(category: TemplateCategory): ConsentPurpose {
  return category === 'MARKETING' ? 'marketing' : 'utility';
}

/** Whether consent covers the category; a marketing grant covers utility and authentication too. */
export function hasConsentFor(
  category: TemplateCategory,
  contact: Pick<AudienceContact, 'marketingConsentAt' | 'utilityConsentAt'>,
): boolean {
  if (contact.marketingConsentAt !== null) return true;
  return category !== 'MARKETING' && contact.utilityConsentAt !== null;
}

/** The template categories a consent state no longer covers (after a revocation of one purpose). */
export function categoriesWithoutConsent(state: ConsentState): TemplateCategory[] {
  const consent = { marketingConsentAt: state.marketingAt, utilityConsentAt: state.utilityAt };
  return TEMPLATE_CATEGORIES.filter((category) => !hasConsentFor(category, consent));
}

/** Whether the contact may be sent this campaign's message, or the first reason they may not. */
export function checkEligibility(contact: AudienceContact, rules: EligibilityRules): Eligibility {
  // The suppression list wins over everything (DESIGN.md "Consent is a ledger").
  if (contact.isSuppressed) return excluded('suppressed', 'on the suppression list');
  if (!isE164(contact.phone) || countryOfPhone(contact.phone) === undefined) {
    return excluded('invalid_number', `"${contact.phone}" is not a valid E.164 number`);
  }
  if (!hasConsentFor(rules.category, contact)) {
    return excluded('no_consent', `no ${consentPurposeFor(rules.category)} consent`);
  }
  // Marketing templates are not delivered to US numbers (reference/cloud-api.md §3).
  if (rules.category === 'MARKETING' && isUsNumber(contact.phone)) {
    return excluded('marketing_to_us_number', 'Meta does not deliver marketing templates to US numbers');
  }
  if (rules.paramSkipReason) return excluded('missing_parameter', rules.paramSkipReason);
  if (rules.category === 'MARKETING' && rules.frequencyCap) {
    const sent = countWithin(contact.recentMarketingSendsMs ?? [], rules.nowMs, rules.frequencyCap.windowMs);
    if (sent >= rules.frequencyCap.maxMessages) {
      const { maxMessages, windowMs } = rules.frequencyCap;
      return excluded(
        'frequency_cap',
        `${sent} marketing messages in the last ${formatWindow(windowMs)} (cap ${maxMessages})`,
      );
    }
  }
  return { eligible: true };
}

function excluded(reason: ExclusionReason, detail: string): Eligibility {
  return { eligible: false, reason, detail };
}

/** How many of the times fall in the rolling window (nowMs − windowMs, nowMs]. */
export function countWithin(timesMs: readonly number[], nowMs: number, windowMs: number): number {
  let count = 0;
  for (const t of timesMs) if (t > nowMs - windowMs && t <= nowMs) count++;
  return count;
}

function formatWindow(windowMs: number): string {
  const hours = windowMs / 3_600_000;
  if (hours >= 24 && hours % 24 === 0) return `${hours / 24} day${hours === 24 ? '' : 's'}`;
  return Number.isInteger(hours) ? `${hours} h` : `${Math.round(windowMs / 60_000)} min`;
}

/** Creation errors and dry-run warnings about a campaign's content. */
export interface ContentCheck {
  errors: string[];
  warnings: string[];
}

/** Checks the template against the campaign: sendable, category vs the audience's consent purpose, quality (its text: content-guidelines.ts). */
export function checkCampaignContent(
  template: TemplateDefinition,
  audience: { consentPurpose?: ConsentPurpose } = {},
): ContentCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  const label = `template "${template.name}" (${template.language})`;
  if (!isSendable(template)) errors.push(`${label} is ${template.status}; only APPROVED templates can be sent`);
  if (template.category === 'MARKETING' && audience.consentPurpose === 'utility') {
    errors.push(
      `${label} is MARKETING but the audience was chosen by utility consent; marketing needs marketing consent`,
    );
  }
  if (template.qualityScore === 'RED') warnings.push(`${label} has quality RED; Meta may pause it (132015)`);
  if (template.qualityScore === 'YELLOW') warnings.push(`${label} has quality YELLOW`);
  return { errors, warnings };
}
