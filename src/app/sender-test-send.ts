import { describeMetaError } from '../cloud-api/error-catalogue.ts';
import { consentPurposeFor, hasConsentFor } from '../domain/audience-policy.ts';
import { compileCampaignParams } from '../domain/campaign-params.ts';
import { deriveConsent } from '../domain/consent.ts';
import { AppError } from '../domain/errors.ts';
import type { RenderedTemplate } from '../domain/outbound-message.ts';
import { normalizePhone } from '../domain/phone.ts';
import { isSendable } from '../domain/template.ts';
import { findContactConsentFacts } from '../store/consent-repo.ts';
import { findContactByPhone } from '../store/contacts-repo.ts';
import type { Database } from '../store/db.ts';
import type { Sender } from '../store/senders-repo.ts';
import { findSuppressions } from '../store/suppressions-repo.ts';
import { listTemplates, type StoredTemplate } from '../store/templates-repo.ts';
import type { CampaignInput } from './campaign-input.ts';
import { toParamsSpec } from './campaign-params-spec.ts';
import type { SendThroughSender } from './campaign-test-send.ts';
import { requireSendableTemplateOf } from './campaigns.ts';
import { requireSender } from './senders.ts';

/** What to send as a sender's test: to whom, which template (else the first that needs no parameters), and its values. */
export interface SenderTestInput {
  senderId: string;
  phone: string;
  template?: { name: string; language: string };
  params?: CampaignInput['params'];
}

/** What a sender's test message came to; a Cloud API refusal is explained from the error catalogue. */
export interface SenderTestResult {
  status: 'accepted' | 'failed';
  wamid: string | null;
  error: { code: number | null; title: string; explanation?: string; action?: string } | null;
  template: { name: string; language: string };
}

/**
 * Sends one template message through a sender now, to a number of the operator's own: it need not
 * be a contact, but a suppressed, erased or opted-out number is refused, as it is everywhere.
 */
export async function sendSenderTest(
  database: Database,
  input: SenderTestInput,
  send: SendThroughSender,
  signal: AbortSignal,
): Promise<SenderTestResult> {
  const sender = await requireSender(database.db, input.senderId);
  const normalized = normalizePhone(input.phone);
  if (!normalized.ok) throw new AppError('invalid_phone', normalized.reason, { field: 'phone' });
  const template = await chooseTestTemplate(database, sender, input.template);
  await refuseWithoutConsent(database, normalized.phone, template);
  const rendered = renderForTest(template, input.params ?? {}, normalized.phone);
  const outcome = await send(
    sender.id,
    { to: normalized.phone, callbackData: `test:sender:${sender.id}`, template: rendered },
    signal,
  );
  const shown = { name: template.name, language: template.language };
  if (outcome.ok) return { status: 'accepted', wamid: outcome.wamid, error: null, template: shown };
  const { code, title } = outcome.error;
  const info = code === null ? undefined : describeMetaError(code);
  const error = info ? { code, title, explanation: info.explanation, action: info.action } : { code, title };
  return { status: 'failed', wamid: null, error, template: shown };
}

// The named template must be synced for the sender's WABA and APPROVED; without a name, the first
// APPROVED one that needs no parameters, so "does this number work?" needs no typing.
async function chooseTestTemplate(
  database: Database,
  sender: Sender,
  wanted: SenderTestInput['template'],
): Promise<StoredTemplate> {
  const { businessAccountId } = sender;
  // Refused as a campaign naming it would be: not synced 404 `template.name`, not APPROVED 422.
  if (wanted) return requireSendableTemplateOf(database, sender, wanted.name, wanted.language);
  const templates = await listTemplates(database.db, businessAccountId);
  const plain = templates.find((t) => isSendable(t) && needsNoParameters(t));
  if (!plain) {
    throw new AppError(
      'validation_failed',
      `sender "${sender.id}" has no APPROVED template without parameters: name one in template (and its params)`,
      { field: 'template' },
    );
  }
  return plain;
}

function needsNoParameters(template: StoredTemplate): boolean {
  try {
    compileCampaignParams(toParamsSpec({}), template);
    return true;
  } catch {
    return false;
  }
}

// Consent first: a test never reaches a number on the suppression list (opted out, blocked,
// erased), nor a contact who revoked the consent this template's category needs.
async function refuseWithoutConsent(database: Database, phone: string, template: StoredTemplate): Promise<void> {
  const suppressed = (await findSuppressions(database.db, [phone])).get(phone);
  if (suppressed) {
    throw new AppError(
      'conflict',
      `${phone} is on the suppression list (${suppressed.replace('_', ' ')}): no message goes to it, not even a test`,
      {
        field: 'phone',
      },
    );
  }
  const contact = await findContactByPhone(database.db, phone);
  if (!contact) return;
  const purpose = consentPurposeFor(template.category);
  const facts = await findContactConsentFacts(database.db, contact.id);
  const hasRevoked = facts.some((f) => f.action === 'revoke' && f.purpose === purpose);
  const state = deriveConsent(facts);
  if (
    hasRevoked &&
    !hasConsentFor(template.category, { marketingConsentAt: state.marketingAt, utilityConsentAt: state.utilityAt })
  ) {
    throw new AppError('conflict', `${phone} opted out of ${purpose} messages: no ${template.name} goes to it`, {
      field: 'phone',
    });
  }
}

// Literal values, or the params mini-language with fallbacks; a test has no contact behind it.
function renderForTest(template: StoredTemplate, params: CampaignInput['params'], phone: string): RenderedTemplate {
  const rendered = compileCampaignParams(toParamsSpec(params), template)({ phone });
  if (!rendered.ok) throw new AppError('validation_failed', rendered.reason, { field: 'params' });
  return rendered.value;
}
