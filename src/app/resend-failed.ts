import { classifyMetaError } from '../cloud-api/error-catalogue.ts';
import { compileCampaignParams } from '../domain/campaign-params.ts';
import { AppError } from '../domain/errors.ts';
import type { SendErrorClass } from '../domain/outbound-message.ts';
import { type AudienceFilter, countAudience } from '../store/audience-repo.ts';
import { insertCampaign } from '../store/campaigns-repo.ts';
import type { Database } from '../store/db.ts';
import { countFailuresByCode, findActiveResendChild } from '../store/report-repo.ts';
import { getTemplate } from '../store/templates-repo.ts';
import type { CampaignInput } from './campaign-input.ts';
import { toParamsSpec } from './campaign-params-spec.ts';
import { type CampaignView, requireCampaign, requireSendableTemplate, viewCampaign } from './campaigns.ts';

// Classes whose failure says nothing about the recipient or the content (reference/cloud-api.md §2):
// a later try can succeed. recipient_permanent (131026, 131050, 131049…), template, auth_config and
// policy_quality failures would fail again, or harm the sender, so they are never resent.
const RESENDABLE_CLASSES: readonly SendErrorClass[] = ['retryable', 'throughput', 'pair_rate'];

/** Whether a message that failed with this Meta error code may be sent again by a resend campaign. */
export function isResendableCode(code: number): boolean {
  return RESENDABLE_CLASSES.includes(classifyMetaError(code));
}

/** The follow-up campaign and what was left out of it. */
export interface ResendResult {
  campaign: CampaignView;
  resent_codes: number[];
  /** Failed messages left out, by code (`none` for failures without a Meta code, whose class is unknown). */
  not_resent: Record<string, number>;
}

/**
 * Creates a draft campaign (parent_campaign_id set, same template, params and options) whose
 * audience is exactly the contacts whose message failed with a retryable class. Consent and the
 * suppression list are checked again when it runs, like any campaign.
 */
export async function createResendCampaign(database: Database, parentId: number, now: number): Promise<ResendResult> {
  const parent = await requireCampaign(database, parentId);
  const existing = await findActiveResendChild(database.db, parentId);
  if (existing) {
    throw new AppError(
      'conflict',
      `campaign ${parentId} already has a resend campaign ${existing.id} (${existing.status}); cancel it first, or resend its failures`,
    );
  }
  const failures = await countFailuresByCode(database.db, parentId);
  const resentCodes = failures.flatMap((f) => (f.code !== null && isResendableCode(f.code) ? [f.code] : []));
  const notResent: Record<string, number> = {};
  for (const f of failures) {
    if (f.code === null || !resentCodes.includes(f.code)) notResent[String(f.code ?? 'none')] = f.count;
  }
  const audience: AudienceFilter = {
    tags: [],
    excludeTags: [],
    resendOf: { campaignId: parentId, errorCodes: resentCodes },
  };
  const audienceSize = resentCodes.length === 0 ? 0 : await countAudience(database.db, audience);
  if (audienceSize === 0) {
    throw new AppError('invalid_state', `campaign ${parentId} has no failures with a retryable error to resend`);
  }
  const template = await getTemplate(database.db, parent.templateId);
  if (!template) throw new AppError('not_found', `template #${parent.templateId} is gone; run templates sync`);
  // The template may have been paused or re-categorised since; refuse now rather than at start.
  const sendable = await requireSendableTemplate(database, parent.senderId, template.name, template.language);
  compileCampaignParams(toParamsSpec(JSON.parse(parent.params) as CampaignInput['params']), sendable);
  const id = await insertCampaign(
    database.db,
    {
      name: `${parent.name} (resend failed)`.slice(0, 200),
      senderId: parent.senderId,
      templateId: sendable.storedId,
      params: parent.params,
      audience: JSON.stringify(audience),
      options: parent.options,
      status: 'draft',
      audienceSize,
      scheduledAt: null,
      parentCampaignId: parentId,
    },
    now,
  );
  return { campaign: await viewCampaign(database, id), resent_codes: resentCodes, not_resent: notResent };
}
