import { checkCampaignContent, EXCLUSION_REASONS, type ExclusionReason } from '../domain/audience-policy.ts';
import { compileCampaignParams } from '../domain/campaign-params.ts';
import { type ContentFinding, DEFAULT_PROHIBITED_WORDS, type ProhibitedWords } from '../domain/content-guidelines.ts';
import type { RenderedTemplate } from '../domain/outbound-message.ts';
import {
  type CostEstimate,
  countByCountry,
  estimateCampaignCost,
  estimateDurationMs,
  pricingCategoryOf,
  type RateCard,
} from '../domain/pricing.ts';
import { recentMarketingSends } from '../store/campaign-messages-repo.ts';
import type { Database } from '../store/db.ts';
import { countRecipientsSince, loadRecipientSends } from '../store/recipient-sends-repo.ts';
import { getSender } from '../store/senders-repo.ts';
import { pageCampaignAudience } from './campaign-audience.ts';
import { campaignContentFindings } from './campaign-content.ts';
import type { CampaignInput } from './campaign-input.ts';
import { campaignOptionsFrom } from './campaign-options.ts';
import { toParamsSpec } from './campaign-params-spec.ts';
import { campaignAudienceFrom, requireSendableTemplate } from './campaigns.ts';
import { decideRecipient, type RecipientRules } from './recipient-decision.ts';

/** The audience broken down before anything is sent. */
export interface DryRunReport {
  audience: number;
  eligible: number;
  excluded: Record<ExclusionReason, number>;
  /** A few excluded phones per reason, to check by hand. */
  examples: Partial<Record<ExclusionReason, { phone: string; detail: string }[]>>;
  estimated_cost: CostEstimate;
  /** Null when the sender has no throughput cap (WA_MPS=0): the provider alone sets the pace. */
  estimated_duration_seconds: number | null;
  /** The duration in words: "about 13 s at 80 msg/s", or "unlimited: …". */
  duration_note: string;
  /** The sender's throughput cap; 0 means none. */
  rate_per_sec: number;
  daily_limit: { limit: number; used: number; remaining: number };
  /** What Meta rejects or punishes in the content, judged on the fixed parameters and the first eligible recipient's message. */
  content: ContentFinding[];
  /** Everything that asks for a person's confirmation, in words: content warnings and template quality. */
  warnings: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE = 5_000;
const EXAMPLES_PER_REASON = 5;

/** Everything a campaign would do, computed on the same path the materialiser takes, without sending. */
export async function dryRunCampaign(
  database: Database,
  input: CampaignInput,
  now: number,
  card?: RateCard,
  words: ProhibitedWords = DEFAULT_PROHIBITED_WORDS,
): Promise<DryRunReport> {
  const template = await requireSendableTemplate(database, input.sender, input.template.name, input.template.language);
  const sender = await getSender(database.db, input.sender);
  const options = campaignOptionsFrom(input);
  const rules: RecipientRules = {
    template,
    render: compileCampaignParams(toParamsSpec(input.params), template),
    frequencyCap: template.category === 'MARKETING' ? options.frequencyCap : null,
  };
  const audienceFilter = campaignAudienceFrom(input);
  const excluded = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>;
  const examples: DryRunReport['examples'] = {};
  const dailyLimit = sender?.dailyLimit ?? Number.POSITIVE_INFINITY;
  const used = (await countRecipientsSince(database.db, input.sender, now - DAY_MS)).count;
  let remaining = Math.max(0, dailyLimit - used);
  const eligiblePhones: string[] = [];
  let sample: RenderedTemplate | null = null;
  let audience = 0;
  for (let afterId = 0; ; ) {
    const { contacts, throughId, isLast } = await pageCampaignAudience(database, audienceFilter, afterId, PAGE);
    audience += contacts.length;
    const phones = contacts.map((c) => c.phone);
    const known = await loadRecipientSends(database.db, input.sender, phones);
    const recent = rules.frequencyCap
      ? await recentMarketingSends(database.db, phones, now - rules.frequencyCap.windowMs)
      : undefined;
    for (const contact of contacts) {
      const decision = decideRecipient(contact, rules, now, recent?.get(contact.phone));
      const record = known.get(contact.phone);
      const consumesQuota = !(record && record.windowStartedAt > now - DAY_MS);
      const reason: ExclusionReason | null = !decision.isEligible
        ? decision.reason
        : consumesQuota && remaining <= 0
          ? 'beyond_daily_quota'
          : null;
      if (reason === null) {
        if (consumesQuota) remaining--;
        if (decision.isEligible) sample ??= decision.rendered;
        eligiblePhones.push(contact.phone);
        continue;
      }
      excluded[reason]++;
      const list = examples[reason] ?? [];
      examples[reason] = list;
      if (list.length < EXAMPLES_PER_REASON) {
        list.push({
          phone: contact.phone,
          detail: decision.isEligible ? "beyond the sender's 24 h quota today" : decision.detail,
        });
      }
    }
    if (isLast) break;
    afterId = throughId;
  }
  const content = campaignContentFindings(template, input.params, sample, words);
  const ratePerSec = sender?.ratePerSec ?? 80;
  const duration = estimateDuration(eligiblePhones.length, ratePerSec);
  return {
    audience,
    eligible: eligiblePhones.length,
    excluded,
    examples,
    estimated_cost: estimateCampaignCost(countByCountry(eligiblePhones), pricingCategoryOf(template.category), card),
    estimated_duration_seconds: duration.seconds,
    duration_note: duration.note,
    rate_per_sec: ratePerSec,
    daily_limit: { limit: dailyLimit, used, remaining: Math.max(0, dailyLimit - used) },
    content,
    warnings: [
      ...content.filter((f) => f.severity === 'warning').map((f) => `${f.message}: ${f.why}`),
      ...checkCampaignContent(template).warnings,
    ],
  };
}

/** How long sending to `recipients` takes, in seconds and in words; unknown without a throughput cap. */
function estimateDuration(recipients: number, ratePerSec: number): { seconds: number | null; note: string } {
  if (ratePerSec <= 0) {
    return {
      seconds: null,
      note: 'unlimited: the sender has no throughput cap (WA_MPS=0), so the provider alone sets the pace',
    };
  }
  const seconds = Math.ceil(estimateDurationMs(recipients, ratePerSec) / 1000);
  return { seconds, note: `about ${seconds} s at ${ratePerSec} msg/s` };
}
