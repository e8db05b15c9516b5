import { checkEligibility, type ExclusionReason, type FrequencyCap } from '../domain/audience-policy.ts';
import type { CampaignRenderer } from '../domain/campaign-params.ts';
import type { RenderedTemplate } from '../domain/outbound-message.ts';
import type { AttributeValue } from '../domain/params.ts';
import type { TemplateDefinition } from '../domain/template.ts';
import type { AudienceContact } from '../store/audience-repo.ts';

/** What becomes of one contact in a campaign: a message to send, or a skip with its reason. */
export type RecipientDecision =
  | { isEligible: true; rendered: RenderedTemplate }
  | { isEligible: false; reason: ExclusionReason; detail: string };

/** What a campaign decides each recipient by. */
export interface RecipientRules {
  template: TemplateDefinition;
  render: CampaignRenderer;
  frequencyCap: FrequencyCap | null;
}

/** Renders and checks one contact; the materialiser and the dry run share it so their numbers agree. */
export function decideRecipient(
  contact: AudienceContact,
  rules: RecipientRules,
  nowMs: number,
  recentMarketingSendsMs: readonly number[] = [],
): RecipientDecision {
  const { template, render } = rules;
  const rendered = render({
    phone: contact.phone,
    firstName: contact.firstName,
    lastName: contact.lastName,
    language: contact.language,
    attributes: parseAttributes(contact),
  });
  const eligibility = checkEligibility(
    {
      phone: contact.phone,
      marketingConsentAt: contact.marketingConsentAt,
      utilityConsentAt: contact.utilityConsentAt,
      isSuppressed: contact.suppression !== null,
      recentMarketingSendsMs,
    },
    {
      category: template.category,
      nowMs,
      frequencyCap: rules.frequencyCap,
      paramSkipReason: rendered.ok ? null : rendered.reason,
    },
  );
  if (!eligibility.eligible) return { isEligible: false, reason: eligibility.reason, detail: eligibility.detail };
  if (!rendered.ok) return { isEligible: false, reason: 'missing_parameter', detail: rendered.reason };
  return { isEligible: true, rendered: rendered.value };
}

/** A contact's custom attributes as an object. */
export function parseAttributes(contact: AudienceContact): Record<string, AttributeValue> {
  return JSON.parse(contact.attributes) as Record<string, AttributeValue>;
}
