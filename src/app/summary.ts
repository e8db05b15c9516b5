import type { Database } from '../store/db.ts';
import { countActivitySince, countScheduledCampaigns, listCampaignIdsByStatus } from '../store/summary-repo.ts';
import { type CampaignView, viewCampaign } from './campaigns.ts';

/** The overview page: what happened since a moment (the viewer's midnight), and what is sending now. */
export interface Summary {
  since: string;
  activity: { sent: number; delivered: number; read: number; failed: number; replies: number; opt_outs: number };
  /** Running and paused campaigns, newest first, with their counts. */
  active_campaigns: CampaignView[];
  scheduled_campaigns: number;
}

const MAX_ACTIVE_SHOWN = 20;

/** Builds the overview summary; `since` defaults to the start of the current UTC day. */
export async function buildSummary(database: Database, since: number | undefined, now: number): Promise<Summary> {
  const from = since ?? startOfUtcDay(now);
  const [activity, ids, scheduled] = await Promise.all([
    countActivitySince(database.db, from),
    listCampaignIdsByStatus(database.db, ['running', 'paused'], MAX_ACTIVE_SHOWN),
    countScheduledCampaigns(database.db),
  ]);
  const { optOuts, ...counts } = activity;
  return {
    since: new Date(from).toISOString(),
    activity: { ...counts, opt_outs: optOuts },
    active_campaigns: await Promise.all(ids.map((id) => viewCampaign(database, id))),
    scheduled_campaigns: scheduled,
  };
}

function startOfUtcDay(ms: number): number {
  return ms - (ms % 86_400_000);
}
