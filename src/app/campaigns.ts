import { compileCampaignParams } from '../domain/campaign-params.ts';
import { AppError } from '../domain/errors.ts';
import { MESSAGE_STATUSES, type MessageStatus } from '../domain/message-status.ts';
import {
  type CampaignRecord,
  type CampaignStatus,
  getCampaign,
  insertCampaign,
  transitionCampaign,
} from '../store/campaigns-repo.ts';
import type { Database } from '../store/db.ts';
import { countMessagesByStatus, skipPendingMessages } from '../store/outbox-repo.ts';
import { getSender, type Sender } from '../store/senders-repo.ts';
import { findTemplate, getTemplate, type StoredTemplate } from '../store/templates-repo.ts';
import { type CampaignAudience, countCampaignAudience } from './campaign-audience.ts';
import { requireLaunchableCampaign } from './campaign-content.ts';
import type { CampaignInput } from './campaign-input.ts';
import { campaignOptionsFrom } from './campaign-options.ts';
import { toParamsSpec } from './campaign-params-spec.ts';
import { iso } from './iso-time.ts';
import { DEFAULT_SENDER_ID, senderHoldReason } from './senders.ts';

/** Every status a campaign can be in. */
export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
] as const satisfies readonly CampaignStatus[];

/** A campaign as the API shows it. */
export interface CampaignView {
  id: string;
  name: string;
  sender: string;
  status: CampaignStatus;
  status_reason: string | null;
  template: { name: string; language: string };
  audience_size: number;
  counts: Record<MessageStatus, number>;
  total: number;
  scheduled_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
}

/** Finds the template a campaign names, in its sender's WABA, and refuses any that is not APPROVED. */
export async function requireSendableTemplate(
  database: Database,
  senderId: string,
  name: string,
  language: string,
): Promise<StoredTemplate> {
  const sender = await getSender(database.db, senderId);
  if (!sender) {
    throw new AppError(
      'not_found',
      senderId === DEFAULT_SENDER_ID
        ? 'the default sender is not configured yet: run `chorus start` once, or `chorus templates sync` with WA_* credentials'
        : `no sender "${senderId}": GET /api/v1/senders lists them`,
      { field: 'sender' },
    );
  }
  return requireSendableTemplateOf(database, sender, name, language);
}

/** The template of that name in the sender's WABA, refused when not synced (404) or not APPROVED (422). */
export async function requireSendableTemplateOf(
  database: Database,
  sender: Pick<Sender, 'id' | 'businessAccountId'>,
  name: string,
  language: string,
): Promise<StoredTemplate> {
  const template = await findTemplate(database.db, { businessAccountId: sender.businessAccountId, name, language });
  if (!template) {
    throw new AppError(
      'not_found',
      `template "${name}" (${language}) is not synced for sender "${sender.id}"; run templates sync`,
      { field: 'template.name' },
    );
  }
  if (template.status !== 'APPROVED') {
    throw new AppError(
      'template_not_approved',
      `template "${name}" (${language}) is ${template.status}, not APPROVED`,
      {
        field: 'template',
      },
    );
  }
  return template;
}

/** Creates a campaign as a draft (or scheduled), after checking its template and params. */
export async function createCampaign(
  database: Database,
  input: CampaignInput,
  now: number,
  options: { parentCampaignId?: number } = {},
): Promise<CampaignView> {
  const template = await requireSendableTemplate(database, input.sender, input.template.name, input.template.language);
  compileCampaignParams(toParamsSpec(input.params), template);
  const scheduledAt = input.scheduled_at ? Date.parse(input.scheduled_at) : null;
  const audience = campaignAudienceFrom(input);
  // A scheduled campaign starts by itself: its content is judged now, while a person is there.
  if (scheduledAt !== null)
    await requireLaunchableCampaign(database, { template, params: input.params, audience }, now);
  const id = await insertCampaign(
    database.db,
    {
      name: input.name,
      senderId: input.sender,
      templateId: template.storedId,
      params: JSON.stringify(input.params),
      audience: JSON.stringify(audience),
      options: JSON.stringify(campaignOptionsFrom(input)),
      status: scheduledAt === null ? 'draft' : 'scheduled',
      audienceSize: await countCampaignAudience(database, audience),
      scheduledAt,
      parentCampaignId: options.parentCampaignId ?? null,
    },
    now,
  );
  return viewCampaign(database, id);
}

/** A campaign with its per-status counts; 404 when unknown. */
export async function viewCampaign(database: Database, id: number): Promise<CampaignView> {
  const campaign = await requireCampaign(database, id);
  const template = await getTemplate(database.db, campaign.templateId);
  const sender = await getSender(database.db, campaign.senderId);
  const raw = await countMessagesByStatus(database.db, id, database.readAside);
  const counts = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, raw[s] ?? 0])) as Record<MessageStatus, number>;
  return {
    id: String(campaign.id),
    name: campaign.name,
    sender: campaign.senderId,
    status: campaign.status,
    status_reason: campaignStatusReason(campaign, sender),
    template: { name: template?.name ?? '?', language: template?.language ?? '?' },
    audience_size: campaign.audienceSize,
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    scheduled_at: iso(campaign.scheduledAt),
    started_at: iso(campaign.startedAt),
    finished_at: iso(campaign.finishedAt),
    created_at: new Date(campaign.createdAt).toISOString(),
  };
}

/** Why a campaign is as it is: its own reason, or, while it should be sending, its sender's pause. */
function campaignStatusReason(campaign: CampaignRecord, sender: Sender | undefined): string | null {
  const isWaitingToSend = campaign.status === 'running' || campaign.status === 'scheduled';
  return (isWaitingToSend ? senderHoldReason(sender) : null) ?? campaign.statusReason;
}

/** The stored campaign; 404 when unknown. */
export async function requireCampaign(database: Database, id: number): Promise<CampaignRecord> {
  const campaign = Number.isSafeInteger(id) ? await getCampaign(database.db, id) : undefined;
  if (!campaign) throw new AppError('not_found', `no campaign ${id}`, { field: 'id' });
  return campaign;
}

/**
 * The lifecycle actions of the documented API, the statuses each may start from and where each leads
 * (resume may lead back to `scheduled` instead: see lifecycleTarget).
 */
export const CAMPAIGN_ACTIONS = {
  start: { from: ['draft', 'scheduled'], to: 'running' },
  pause: { from: ['running', 'scheduled'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  cancel: { from: ['draft', 'scheduled', 'running', 'paused'], to: 'cancelled' },
} as const satisfies Record<string, { from: CampaignStatus[]; to: CampaignStatus }>;

/** One of the lifecycle actions. */
export type CampaignAction = keyof typeof CAMPAIGN_ACTIONS;

/** Applies a lifecycle action; a wrong starting status is a 409 naming it. */
export async function changeCampaignStatus(
  database: Database,
  id: number,
  action: CampaignAction,
  now: number,
  reason: string | null = null,
): Promise<CampaignView> {
  const campaign = await requireCampaign(database, id);
  if (action === 'start' || action === 'resume') {
    const template = await requireSendableTemplate(
      database,
      campaign.senderId,
      ...(await templateKey(database, campaign.templateId)),
    );
    if (action === 'start') {
      const params = JSON.parse(campaign.params) as CampaignInput['params'];
      const audience = JSON.parse(campaign.audience) as CampaignAudience;
      await requireLaunchableCampaign(database, { template, params, audience }, now);
    }
  }
  const hasMoved = await transitionCampaign(database.db, {
    id,
    from: [...CAMPAIGN_ACTIONS[action].from],
    reason,
    now,
    ...lifecycleTarget(campaign, action, now),
    // A person who resumes has looked at what paused it: the quality guard judges afresh.
    ...(action === 'resume' ? { qualitySince: now } : {}),
  });
  // Cancelling settles what was never sent, so every message stays in exactly one status.
  if (hasMoved && action === 'cancel') await skipPendingMessages(database.db, id, 'campaign cancelled', now);
  if (!hasMoved) {
    const current = (await requireCampaign(database, id)).status;
    throw new AppError('invalid_state', `cannot ${action} a campaign that is ${current}`, { field: 'status' });
  }
  return viewCampaign(database, id);
}

/**
 * Where an action takes a campaign now. A campaign paused before it ever ran goes back to waiting
 * for its time, or starts now when that time has passed; one that ran goes on running.
 */
function lifecycleTarget(
  campaign: CampaignRecord,
  action: CampaignAction,
  now: number,
): { to: CampaignStatus; startedAt?: number; finishedAt?: number } {
  const { to } = CAMPAIGN_ACTIONS[action];
  if (action === 'cancel') return { to, finishedAt: now };
  if (action === 'start') return { to, startedAt: now };
  if (action === 'resume' && campaign.startedAt === null) {
    const isDue = campaign.scheduledAt === null || campaign.scheduledAt <= now;
    return isDue ? { to, startedAt: now } : { to: 'scheduled' };
  }
  return { to };
}

async function templateKey(database: Database, templateId: number): Promise<[string, string]> {
  const template = await getTemplate(database.db, templateId);
  if (!template) throw new AppError('not_found', `template #${templateId} is gone; run templates sync`);
  return [template.name, template.language];
}

/** The stored audience of a campaign request. */
export function campaignAudienceFrom(input: Pick<CampaignInput, 'audience'>): CampaignAudience {
  return { tags: input.audience.tags, excludeTags: input.audience.exclude_tags, attributes: input.audience.attributes };
}
