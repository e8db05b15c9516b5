import { type Kysely, sql } from 'kysely';
import type { SecondOutcomes } from '../domain/quality-guard.ts';
import type { DB } from './schema.ts';

/** Outcomes to add to a campaign's per-second counts (code 0: a send answered). */
export interface OutcomeCount {
  campaignId: number;
  at: number;
  code: number;
}

/**
 * Adds outcomes to the per-second counts, one upsert for the lot. Rows of one (campaign, second,
 * code) are folded first: PostgreSQL refuses to upsert a row twice in one statement.
 */
export async function addCampaignOutcomes(db: Kysely<DB>, outcomes: readonly OutcomeCount[]): Promise<void> {
  if (outcomes.length === 0) return;
  const folded = new Map<string, { campaign_id: number; second_at: number; code: number; count: number }>();
  for (const o of outcomes) {
    const secondAt = Math.floor(o.at / 1000) * 1000;
    const key = `${o.campaignId}:${secondAt}:${o.code}`;
    const row = folded.get(key);
    if (row) row.count++;
    else folded.set(key, { campaign_id: o.campaignId, second_at: secondAt, code: o.code, count: 1 });
  }
  await db
    .insertInto('campaign_outcomes')
    .values([...folded.values()])
    .onConflict((oc) =>
      oc
        .columns(['campaign_id', 'second_at', 'code'])
        .doUpdateSet({ count: sql`campaign_outcomes.count + excluded.count` }),
    )
    .execute();
}

/**
 * A campaign's per-second counts since the guard's reset (`campaigns.quality_since`), newest first,
 * at most `limitRows` rows: enough for the guard's window at any rate.
 */
export async function loadRecentOutcomes(
  db: Kysely<DB>,
  campaignId: number,
  limitRows: number,
): Promise<SecondOutcomes[]> {
  const rows = await db
    .selectFrom('campaign_outcomes as o')
    .innerJoin('campaigns as c', 'c.id', 'o.campaign_id')
    .select(['o.second_at', 'o.code', 'o.count'])
    .where('o.campaign_id', '=', campaignId)
    .whereRef('o.second_at', '>=', 'c.quality_since')
    .orderBy('o.second_at', 'desc')
    .limit(limitRows)
    .execute();
  return rows.map((r) => ({ secondAt: Number(r.second_at), code: r.code, count: r.count }));
}
