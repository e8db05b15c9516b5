import { compileCampaignParams } from '../domain/campaign-params.ts';
import { AppError } from '../domain/errors.ts';
import type { OutboundMessage, SendOutcome } from '../domain/outbound-message.ts';
import { normalizePhone } from '../domain/phone.ts';
import { type MessagePreview, previewMessage } from '../domain/template-preview.ts';
import type { Database } from '../store/db.ts';
import { getTemplate } from '../store/templates-repo.ts';
import { findRecipientByPhone, insertTestSend } from '../store/test-sends-repo.ts';
import type { CampaignInput } from './campaign-input.ts';
import { toParamsSpec } from './campaign-params-spec.ts';
import { requireCampaign, requireSendableTemplate } from './campaigns.ts';
import { decideRecipient } from './recipient-decision.ts';

/** How long a message sent by hand (a test) waits for the Cloud API's answer. */
export const SEND_NOW_TIMEOUT_MS = 15_000;

/** Sends one message through a sender, now, outside any send loop. */
export type SendThroughSender = (
  senderId: string,
  message: OutboundMessage,
  signal: AbortSignal,
) => Promise<SendOutcome>;

/** What a test send did: the provider's answer and the text the person receives. */
export interface TestSendResult {
  id: string;
  campaign_id: string;
  status: 'accepted' | 'failed';
  wamid: string | null;
  error: { code: number | null; title: string } | null;
  preview: MessagePreview;
  /** The contact it went to, for the audit log (never the phone). */
  contact_id: string;
}

/**
 * Renders one message of a campaign for one contact and sends it now through the campaign's sender.
 * Consent, suppression and missing parameters refuse it exactly as they would skip the message in
 * the campaign; it is stored apart, in test_sends, so the campaign's counts never include it.
 */
export async function sendCampaignTest(
  database: Database,
  input: { campaignId: number; phone: string },
  send: SendThroughSender,
  now: number,
  signal: AbortSignal,
): Promise<TestSendResult> {
  const campaign = await requireCampaign(database, input.campaignId);
  const normalized = normalizePhone(input.phone);
  if (!normalized.ok) throw new AppError('invalid_phone', normalized.reason, { field: 'phone' });
  const stored = await getTemplate(database.db, campaign.templateId);
  if (!stored) throw new AppError('not_found', `the campaign's template is gone; run templates sync`);
  const template = await requireSendableTemplate(database, campaign.senderId, stored.name, stored.language);
  const contact = await findRecipientByPhone(database.db, normalized.phone);
  if (!contact) {
    throw new AppError('not_found', `no contact ${normalized.phone}: a test goes only to a stored, consented contact`, {
      field: 'phone',
    });
  }
  const render = compileCampaignParams(toParamsSpec(JSON.parse(campaign.params) as CampaignInput['params']), template);
  // A test is one message by hand: the frequency cap, which paces campaigns, does not apply.
  const decision = decideRecipient(contact, { template, render, frequencyCap: null }, now);
  if (!decision.isEligible) {
    throw new AppError('recipient_not_eligible', `${normalized.phone} would be skipped: ${decision.detail}`, {
      field: 'phone',
    });
  }
  const outcome = await send(
    campaign.senderId,
    { to: contact.phone, callbackData: `test:${campaign.id}`, template: decision.rendered },
    signal,
  );
  const wamid = outcome.ok ? outcome.wamid : null;
  const error = outcome.ok ? null : { code: outcome.error.code, title: outcome.error.title };
  const id = await insertTestSend(database.db, {
    campaignId: campaign.id,
    contactId: contact.id,
    wamid,
    errorCode: error?.code ?? null,
    errorTitle: error?.title ?? null,
    createdAt: now,
  });
  return {
    id: String(id),
    campaign_id: String(campaign.id),
    status: outcome.ok ? 'accepted' : 'failed',
    wamid,
    error,
    preview: previewMessage(template, decision.rendered),
    contact_id: String(contact.id),
  };
}
