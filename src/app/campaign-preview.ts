import { compileCampaignParams } from '../domain/campaign-params.ts';
import { type MessagePreview, previewMessage } from '../domain/template-preview.ts';
import type { Database } from '../store/db.ts';
import { pageCampaignAudience } from './campaign-audience.ts';
import type { CampaignInput } from './campaign-input.ts';
import { toParamsSpec } from './campaign-params-spec.ts';
import { campaignAudienceFrom, requireSendableTemplate } from './campaigns.ts';
import { decideRecipient } from './recipient-decision.ts';

/** One audience contact's message as they would read it, or why they would be skipped. */
export interface RecipientPreview {
  contact_id: string;
  phone: string;
  name: string | null;
  eligible: boolean;
  reason: string | null;
  message: MessagePreview | null;
}

/** The template with its placeholders, and the first few recipients' own messages. */
export interface CampaignPreview {
  template: MessagePreview;
  recipients: RecipientPreview[];
}

/**
 * Renders a draft campaign for its first `limit` audience contacts, on the path the materialiser
 * takes (the same renderer and consent rules), so a variable that does not load shows before start.
 */
export async function previewCampaign(
  database: Database,
  input: CampaignInput,
  limit: number,
  now: number,
): Promise<CampaignPreview> {
  const template = await requireSendableTemplate(database, input.sender, input.template.name, input.template.language);
  const render = compileCampaignParams(toParamsSpec(input.params), template);
  const { contacts } = await pageCampaignAudience(database, campaignAudienceFrom(input), 0, limit);
  return {
    template: previewMessage(template, null),
    recipients: contacts.map((contact) => {
      const decision = decideRecipient(contact, { template, render, frequencyCap: null }, now);
      return {
        contact_id: String(contact.id),
        phone: contact.phone,
        name: [contact.firstName, contact.lastName].filter(Boolean).join(' ') || null,
        eligible: decision.isEligible,
        reason: decision.isEligible ? null : decision.detail,
        message: decision.isEligible ? previewMessage(template, decision.rendered) : null,
      };
    }),
  };
}
