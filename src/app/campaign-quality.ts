import type { Kysely } from 'kysely';
import { DEFAULT_QUALITY_WINDOW, judgeQuality, lastSendsWindow } from '../domain/quality-guard.ts';
import { loadRecentOutcomes } from '../store/campaign-outcomes-repo.ts';
import { transitionCampaign } from '../store/campaigns-repo.ts';
import type { DB } from '../store/schema.ts';

// Enough per-second rows for the window at any rate: a few codes a second, at one send a second.
const RECENT_OUTCOME_ROWS = 4 * DEFAULT_QUALITY_WINDOW.windowSize;

/**
 * Judges a campaign on its recent sends and failures as the database counts them (every process
 * adds to the same counts: an api process its webhook failures, a worker its send answers), and
 * pauses it if a quality rule is exceeded. Answers the reason when it paused the campaign.
 */
export async function pauseCampaignOnPoorQuality(
  db: Kysely<DB>,
  campaignId: number,
  now: number,
): Promise<string | null> {
  const recent = await loadRecentOutcomes(db, campaignId, RECENT_OUTCOME_ROWS);
  const verdict = judgeQuality(lastSendsWindow(recent, DEFAULT_QUALITY_WINDOW.windowSize));
  if (verdict.action !== 'pause') return null;
  const reason = `quality: ${verdict.reason}`;
  const isPaused = await transitionCampaign(db, { id: campaignId, from: ['running'], to: 'paused', reason, now });
  return isPaused ? reason : null;
}
