import { type Kysely, sql } from 'kysely';
import type { Database } from './db.ts';
import type { DB } from './schema.ts';

// What `chorus doctor` reads from the database: integrity, template syncs, and live campaigns a
// template's status would stop.

/** SQLite's quick integrity check: the problems it names, none when the file is sound. */
export function findSqliteProblems(database: Database): string[] {
  if (!database.sqlite) return [];
  const rows = database.sqlite.pragma('quick_check') as { quick_check: string }[];
  return rows.map((r) => r.quick_check).filter((line) => line !== 'ok');
}

/** When each WhatsApp Business Account's templates were last synced. */
export async function readTemplateSyncTimes(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('templates')
    .select(['business_account_id', sql<number>`max(synced_at)`.as('last')])
    .groupBy('business_account_id')
    .execute();
  return new Map(rows.map((r) => [r.business_account_id, Number(r.last)]));
}

/** A scheduled or running campaign whose template Meta does not let it send now. */
export interface CampaignOnUnusableTemplate {
  campaignId: number;
  campaignName: string;
  campaignStatus: string;
  templateName: string;
  language: string;
  templateStatus: string;
}

/** Scheduled and running campaigns whose template is not APPROVED (paused, disabled, rejected…). */
export async function findCampaignsOnUnusableTemplates(db: Kysely<DB>): Promise<CampaignOnUnusableTemplate[]> {
  const rows = await db
    .selectFrom('campaigns')
    .innerJoin('templates', 'templates.id', 'campaigns.template_id')
    .select([
      'campaigns.id',
      'campaigns.name',
      'campaigns.status as campaign_status',
      'templates.name as template_name',
      'templates.language',
      'templates.status as template_status',
    ])
    .where('campaigns.status', 'in', ['scheduled', 'running'])
    .where('templates.status', '!=', 'APPROVED')
    .orderBy('campaigns.id')
    .execute();
  return rows.map((r) => ({
    campaignId: r.id,
    campaignName: r.name,
    campaignStatus: r.campaign_status,
    templateName: r.template_name,
    language: r.language,
    templateStatus: r.template_status,
  }));
}
