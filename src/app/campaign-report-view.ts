import { describeMetaError } from '../cloud-api/error-catalogue.ts';
import { createKeywordMatcher, type KeywordMatcher } from '../domain/opt-out-keywords.ts';
import { DEFAULT_RATE_CARD, pricingCategoryOf, type RateCard } from '../domain/pricing.ts';
import type { TemplateCategory } from '../domain/template.ts';
import type { Database } from '../store/db.ts';
import {
  countCampaignReplies,
  countEventsByMinute,
  countFailuresByCode,
  countSkippedByReason,
  listCampaignReplyTexts,
  listOptOutsAfterMessages,
  TIMELINE_EVENTS,
  type TimelineEvent,
} from '../store/report-repo.ts';
import { getTemplate } from '../store/templates-repo.ts';
import { type CampaignCost, computeCampaignCost } from './campaign-cost.ts';
import { type CampaignView, requireCampaign, viewCampaign } from './campaigns.ts';
import { isResendableCode } from './resend-failed.ts';

/** One line of the failure breakdown: a Meta error code, what it means and what to do. */
export interface FailureLine {
  code: number | null;
  count: number;
  class: string | null;
  explanation: string;
  action: string;
  resendable: boolean;
}

/** GET /api/v1/campaigns/{id}/report and `chorus campaigns report`. */
export interface CampaignReport {
  campaign: CampaignView;
  /** Every message in exactly one documented status; these sum to `total`. */
  counts: CampaignView['counts'];
  total: number;
  failures: FailureLine[];
  skipped: { reason: string; count: number }[];
  timeline: ({ minute: string } & Record<TimelineEvent, number>)[];
  replies: { messages: number; from_numbers: number };
  opt_outs: { numbers: number; by_reply: number; after_message: number };
  cost: CampaignCost;
}

/** Everything that happened in one campaign, from the database alone. */
export async function buildCampaignReport(
  database: Database,
  campaignId: number,
  card: RateCard = DEFAULT_RATE_CARD,
  matchKeyword: KeywordMatcher = createKeywordMatcher(),
): Promise<CampaignReport> {
  const campaign = await requireCampaign(database, campaignId);
  const view = await viewCampaign(database, campaignId);
  const template = await getTemplate(database.db, campaign.templateId);
  const category = pricingCategoryOf((template?.category ?? 'MARKETING') as TemplateCategory);
  const replies = await countCampaignReplies(database.db, campaignId);
  return {
    campaign: view,
    counts: view.counts,
    total: view.total,
    failures: (await countFailuresByCode(database.db, campaignId)).map(toFailureLine),
    skipped: foldSkipReasons(await countSkippedByReason(database.db, campaignId)),
    timeline: toTimeline(await countEventsByMinute(database.db, campaignId)),
    replies: { messages: replies.replies, from_numbers: replies.repliers },
    opt_outs: await countOptOuts(database, campaignId, campaign.startedAt ?? campaign.createdAt, matchKeyword),
    cost: await computeCampaignCost(database, campaignId, category, card),
  };
}

function toFailureLine(f: { code: number | null; count: number }): FailureLine {
  const info = f.code === null ? undefined : describeMetaError(f.code);
  if (f.code === null) {
    return {
      ...f,
      class: null,
      explanation: 'Failed without a Meta error code (transport or unparsed answer).',
      action: 'Check the server log around the failure time.',
      resendable: false,
    };
  }
  return {
    ...f,
    class: info?.errorClass ?? null,
    explanation: info?.explanation ?? `Meta error ${f.code}, not in Chorus's catalogue.`,
    action: info?.action ?? "Look the code up in Meta's error reference.",
    resendable: isResendableCode(f.code),
  };
}

// Skip reasons are stored as `reason: detail` (materialiser) or a bare phrase; the detail can
// name a field or a source, so the breakdown counts the part before the colon.
function foldSkipReasons(rows: { reason: string | null; count: number }[]): { reason: string; count: number }[] {
  const byReason = new Map<string, number>();
  for (const row of rows) {
    const reason = (row.reason ?? 'unknown').split(':')[0]?.trim() || 'unknown';
    byReason.set(reason, (byReason.get(reason) ?? 0) + row.count);
  }
  return [...byReason].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
}

function toTimeline(rows: { event: TimelineEvent; minuteMs: number; count: number }[]): CampaignReport['timeline'] {
  const byMinute = new Map<number, Record<TimelineEvent, number>>();
  for (const row of rows) {
    const minute =
      byMinute.get(row.minuteMs) ??
      (Object.fromEntries(TIMELINE_EVENTS.map((e) => [e, 0])) as Record<TimelineEvent, number>);
    minute[row.event] += row.count;
    byMinute.set(row.minuteMs, minute);
  }
  return [...byMinute]
    .sort(([a], [b]) => a - b)
    .map(([minuteMs, counts]) => ({ minute: new Date(minuteMs).toISOString(), ...counts }));
}

// An opt-out counts once per number: an opt-out word in a reply attributed to this campaign, or a
// suppression (any source) created after the campaign started for a number it messaged.
async function countOptOuts(
  database: Database,
  campaignId: number,
  since: number,
  matchKeyword: KeywordMatcher,
): Promise<CampaignReport['opt_outs']> {
  const byReply = new Set<string>();
  for (const reply of await listCampaignReplyTexts(database.db, campaignId)) {
    if (reply.text !== null && matchKeyword(reply.text) === 'opt_out') byReply.add(reply.phone);
  }
  const afterMessage = new Set(await listOptOutsAfterMessages(database.db, campaignId, since));
  return {
    numbers: new Set([...byReply, ...afterMessage]).size,
    by_reply: byReply.size,
    after_message: afterMessage.size,
  };
}
