// Templates: synced lately for every business account in use, and no scheduled or running
// campaign on a template Meta does not let it send (paused, disabled, rejected…).
import type { Kysely } from 'kysely';
import { findCampaignsOnUnusableTemplates, readTemplateSyncTimes } from '../store/health-repo.ts';
import type { DB } from '../store/schema.ts';
import { type CheckResult, fail, ok, skip, warn } from './check.ts';

const STALE_SYNC_MS = 24 * 60 * 60 * 1000;

/** One line on the syncs of these business accounts, one on campaigns a template status would stop. */
export async function checkTemplates(
  db: Kysely<DB>,
  businessAccountIds: readonly string[],
  now: number,
): Promise<CheckResult[]> {
  return [await checkSyncs(db, businessAccountIds, now), await checkCampaignTemplates(db)];
}

async function checkSyncs(db: Kysely<DB>, wabas: readonly string[], now: number): Promise<CheckResult> {
  const synced = await readTemplateSyncTimes(db);
  const never = wabas.filter((waba) => !synced.has(waba));
  const stale = wabas.filter((waba) => now - (synced.get(waba) ?? now) > STALE_SYNC_MS);
  const fix =
    'run `chorus templates sync` (or POST /api/v1/templates/sync); webhooks keep statuses current between syncs';
  if (never.length > 0) return warn('template sync', `never synced for WABA ${never.join(', ')}`, fix);
  if (stale.length > 0) return warn('template sync', `not synced for over 24 h for WABA ${stale.join(', ')}`, fix);
  if (wabas.length === 0) return skip('template sync', "no live sender: a sandbox's templates live in its simulator");
  const oldest = Math.min(...wabas.map((waba) => synced.get(waba) ?? now));
  return ok('template sync', `synced within the last ${Math.max(1, Math.round((now - oldest) / 60_000))} min`);
}

async function checkCampaignTemplates(db: Kysely<DB>): Promise<CheckResult> {
  const blocked = await findCampaignsOnUnusableTemplates(db);
  if (blocked.length === 0)
    return ok('campaign templates', 'every scheduled or running campaign has an APPROVED template');
  const list = blocked
    .map(
      (b) =>
        `campaign ${b.campaignId} "${b.campaignName}" (${b.campaignStatus}) on ${b.templateName}/${b.language}, ${b.templateStatus}`,
    )
    .join('; ');
  return fail(
    'campaign templates',
    `${blocked.length} campaign(s) cannot send: ${list}`,
    'sync templates to see whether Meta approved it again; else cancel the campaign and start one on another template',
  );
}
