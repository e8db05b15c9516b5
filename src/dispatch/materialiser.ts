import { type CampaignInput, toParamsSpec } from '../app/campaign-input.ts';
import { decideRecipient } from '../app/recipient-decision.ts';
import { type CampaignRenderer, compileCampaignParams } from '../domain/campaign-params.ts';
import type { TemplateDefinition } from '../domain/template.ts';
import { type AudienceContact, type AudienceFilter, pageAudience } from '../store/audience-repo.ts';
import { type CampaignRecord, getCampaign, insertMaterializedBatch, type NewMessage } from '../store/campaigns-repo.ts';
import type { Database } from '../store/db.ts';
import { skipPendingMessages } from '../store/outbox-repo.ts';

/** Contacts turned into message rows per transaction. */
export const MATERIALISE_BATCH = 5_000;

/**
 * Turns a running campaign's audience into message rows: one per contact, `pending` with its
 * rendered template, or `skipped` with the reason. Resumes from its checkpoint after a crash, and
 * stops between batches if the campaign is paused or cancelled.
 */
export async function materialiseCampaign(
  database: Database,
  campaign: CampaignRecord,
  template: TemplateDefinition,
  clock: () => number,
): Promise<void> {
  const render = compileCampaignParams(toParamsSpec(JSON.parse(campaign.params) as CampaignInput['params']), template);
  const filter = JSON.parse(campaign.audience) as AudienceFilter;
  let afterId = campaign.materializedThrough ?? 0;
  for (;;) {
    const page = await pageAudience(database.db, filter, { afterId, limit: MATERIALISE_BATCH });
    const now = clock();
    const messages = page.map((contact) => toMessage(contact, template, render, now));
    const isLast = page.length < MATERIALISE_BATCH;
    afterId = page.at(-1)?.id ?? afterId;
    await insertMaterializedBatch(database.db, {
      campaignId: campaign.id,
      messages,
      throughContactId: afterId,
      isLast,
      now,
    });
    const current = await getCampaign(database.db, campaign.id);
    // A cancel that raced this batch must not leave its rows waiting forever.
    if (current?.status === 'cancelled') await skipPendingMessages(database.db, campaign.id, 'campaign cancelled', now);
    if (isLast || current?.status !== 'running') return;
  }
}

function toMessage(
  contact: AudienceContact,
  template: TemplateDefinition,
  render: CampaignRenderer,
  now: number,
): NewMessage {
  const base = { contactId: contact.id, phone: contact.phone, nextAttemptAt: now };
  const decision = decideRecipient(contact, template, render, now);
  if (!decision.isEligible) {
    return { ...base, status: 'skipped', statusReason: `${decision.reason}: ${decision.detail}`, rendered: null };
  }
  return { ...base, status: 'pending', statusReason: null, rendered: JSON.stringify(decision.rendered) };
}
