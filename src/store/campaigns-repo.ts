import type { Kysely, Selectable } from 'kysely';
import type { MessageStatus } from '../domain/message-status.ts';
import type { CampaignsTable, DB } from './schema.ts';

/** Campaign statuses, the documented API. */
export type CampaignStatus = CampaignsTable['status'];

/** A campaign row in camelCase, JSON columns still as text for the caller to parse with its schema. */
export interface CampaignRecord {
  id: number;
  name: string;
  senderId: string;
  templateId: number;
  params: string;
  audience: string;
  options: string;
  status: CampaignStatus;
  statusReason: string | null;
  audienceSize: number;
  scheduledAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  materializedThrough: number | null;
  isMaterialized: boolean;
  parentCampaignId: number | null;
  createdAt: number;
  updatedAt: number;
}

/** What a new campaign needs. */
export type NewCampaign = Pick<
  CampaignRecord,
  | 'name'
  | 'senderId'
  | 'templateId'
  | 'params'
  | 'audience'
  | 'options'
  | 'audienceSize'
  | 'scheduledAt'
  | 'parentCampaignId'
> & { status: 'draft' | 'scheduled' };

/** Inserts a campaign and answers its id. */
export async function insertCampaign(db: Kysely<DB>, campaign: NewCampaign, now: number): Promise<number> {
  const row = await db
    .insertInto('campaigns')
    .values({
      name: campaign.name,
      sender_id: campaign.senderId,
      template_id: campaign.templateId,
      params: campaign.params,
      audience: campaign.audience,
      options: campaign.options,
      status: campaign.status,
      status_reason: null,
      audience_size: campaign.audienceSize,
      scheduled_at: campaign.scheduledAt,
      started_at: null,
      finished_at: null,
      materialized_through: null,
      is_materialized: 0,
      parent_campaign_id: campaign.parentCampaignId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One campaign by id. */
export async function getCampaign(db: Kysely<DB>, id: number): Promise<CampaignRecord | undefined> {
  const row = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCampaignRecord(row) : undefined;
}

/** Campaigns newest first, keyset-paged by id. */
export async function listCampaigns(
  db: Kysely<DB>,
  page: { beforeId?: number; limit: number; status?: CampaignStatus },
): Promise<CampaignRecord[]> {
  let query = db.selectFrom('campaigns').selectAll().orderBy('id', 'desc').limit(page.limit);
  if (page.beforeId !== undefined) query = query.where('id', '<', page.beforeId);
  if (page.status !== undefined) query = query.where('status', '=', page.status);
  return (await query.execute()).map(toCampaignRecord);
}

/** Campaigns in the given statuses (the dispatcher's and scheduler's working set). */
export async function listCampaignsByStatus(db: Kysely<DB>, statuses: CampaignStatus[]): Promise<CampaignRecord[]> {
  const rows = await db.selectFrom('campaigns').selectAll().where('status', 'in', statuses).orderBy('id').execute();
  return rows.map(toCampaignRecord);
}

/** Whether any campaign is sending now (an import then keeps its transactions short). */
export async function isAnyCampaignRunning(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('campaigns').select('id').where('status', '=', 'running').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Moves a campaign to `to` only if it is in one of `from` (a compare-and-set, so two requests
 * cannot both start it). Answers whether it moved.
 */
export async function transitionCampaign(
  db: Kysely<DB>,
  change: {
    id: number;
    from: CampaignStatus[];
    to: CampaignStatus;
    reason?: string | null;
    now: number;
    startedAt?: number;
    finishedAt?: number;
    /** The quality guard forgets outcomes before this time (a person resumed the campaign). */
    qualitySince?: number;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('campaigns')
    .set({
      status: change.to,
      status_reason: change.reason ?? null,
      updated_at: change.now,
      ...(change.startedAt !== undefined ? { started_at: change.startedAt } : {}),
      ...(change.finishedAt !== undefined ? { finished_at: change.finishedAt } : {}),
      ...(change.qualitySince !== undefined ? { quality_since: change.qualitySince } : {}),
    })
    .where('id', '=', change.id)
    .where('status', 'in', change.from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A message row the materialiser writes. */
export interface NewMessage {
  contactId: number;
  phone: string;
  status: Extract<MessageStatus, 'pending' | 'skipped'>;
  statusReason: string | null;
  rendered: string | null;
  /** The recipient's zone when the campaign has a send window, else null. */
  timeZone?: string | null;
  nextAttemptAt: number;
}

/**
 * Writes one materialised batch and moves the checkpoint past it, in one transaction; the unique
 * (campaign, contact) key makes a replay after a crash a no-op.
 */
export async function insertMaterializedBatch(
  db: Kysely<DB>,
  batch: { campaignId: number; messages: NewMessage[]; throughContactId: number; isLast: boolean; now: number },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < batch.messages.length; i += MESSAGE_ROWS_PER_INSERT) {
      const rows = batch.messages.slice(i, i + MESSAGE_ROWS_PER_INSERT).map((m) => ({
        campaign_id: batch.campaignId,
        contact_id: m.contactId,
        phone: m.phone,
        status: m.status,
        status_reason: m.statusReason,
        rendered: m.rendered,
        time_zone: m.timeZone ?? null,
        next_attempt_at: m.nextAttemptAt,
        updated_at: batch.now,
      }));
      await tx
        .insertInto('messages')
        .values(rows)
        .onConflict((oc) => oc.columns(['campaign_id', 'contact_id']).doNothing())
        .execute();
    }
    await tx
      .updateTable('campaigns')
      .set({
        materialized_through: batch.throughContactId,
        is_materialized: batch.isLast ? 1 : 0,
        updated_at: batch.now,
      })
      .where('id', '=', batch.campaignId)
      .execute();
  });
}

// 9 columns a row: 2,000 rows stay well under SQLite's 32,766 bound parameters a statement.
const MESSAGE_ROWS_PER_INSERT = 2000;

function toCampaignRecord(row: Selectable<CampaignsTable>): CampaignRecord {
  return {
    id: row.id,
    name: row.name,
    senderId: row.sender_id,
    templateId: row.template_id,
    params: row.params,
    audience: row.audience,
    options: row.options,
    status: row.status,
    statusReason: row.status_reason,
    audienceSize: row.audience_size,
    scheduledAt: row.scheduled_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    materializedThrough: row.materialized_through,
    isMaterialized: row.is_materialized === 1,
    parentCampaignId: row.parent_campaign_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Pauses every running or scheduled campaign on these templates; answers the ids it paused. */
export async function pauseCampaignsOnTemplates(
  db: Kysely<DB>,
  templateIds: number[],
  reason: string,
  now: number,
): Promise<number[]> {
  if (templateIds.length === 0) return [];
  const rows = await db
    .updateTable('campaigns')
    .set({ status: 'paused', status_reason: reason, updated_at: now })
    .where('template_id', 'in', templateIds)
    .where('status', 'in', ['running', 'scheduled'])
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
