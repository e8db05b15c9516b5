import { countryOfPhone, SHARED_CALLING_CODES } from '../domain/phone-country.ts';
import {
  type CostEstimate,
  DEFAULT_RATE_CARD,
  estimateCampaignCost,
  PRICING_CATEGORIES,
  type PricingCategory,
  type RateCard,
  unitPriceForPhone,
} from '../domain/pricing.ts';
import type { Database } from '../store/db.ts';
import { countMessagePricingGroups, type MessagePricing, pageMessagePricing } from '../store/report-repo.ts';

/** What a campaign cost: Meta's billable messages priced by the rate card, beside the dry run's estimate. */
export interface CampaignCost {
  currency: string;
  rate_card: string;
  actual: {
    billable_messages: number;
    total: number;
    lines: { country: string; category: PricingCategory; count: number; unit_price: number; cost: number }[];
    /** Messages Meta holds whose pricing no webhook has reported yet (not in the total). */
    pricing_unknown: number;
  };
  /** The dry run's formula over the messages that were not skipped: as if every one were delivered. */
  estimate: CostEstimate;
}

/**
 * The price of one billable message: Meta's pricing category when it names one of ours (webhooks
 * report it, reference/cloud-api.md §6), else the template's.
 */
export function priceOfMessage(
  card: RateCard,
  phone: string,
  metaCategory: string | null,
  templateCategory: PricingCategory,
): { category: PricingCategory; unitPrice: number } {
  const named = metaCategory?.toLowerCase();
  const category = (PRICING_CATEGORIES as readonly string[]).includes(named ?? '')
    ? (named as PricingCategory)
    : templateCategory;
  return { category, unitPrice: unitPriceForPhone(card, phone, category) };
}

const PAGE = 5_000;
// Meta reports pricing on sent/delivered/read webhooks; a failed message is never charged.
const AWAITING_PRICING = new Set(['accepted', 'sent', 'delivered', 'read']);

/**
 * Prices a campaign's messages: most in groups the database counts (a number's calling code or
 * area code names its country), those under shared calling codes page by page, so memory stays
 * flat however big the campaign is.
 */
export async function computeCampaignCost(
  database: Database,
  campaignId: number,
  templateCategory: PricingCategory,
  card: RateCard = DEFAULT_RATE_CARD,
): Promise<CampaignCost> {
  const lines = new Map<string, { country: string; category: PricingCategory; count: number; unit_price: number }>();
  const estimatedByCountry: Record<string, number> = {};
  let billable = 0;
  let unknown = 0;
  // `count` messages like this one: same country, status and pricing verdict.
  const tally = (m: Omit<MessagePricing, 'id'>, count: number) => {
    const country = countryOfPhone(m.phone) ?? '??';
    if (m.status !== 'skipped') estimatedByCountry[country] = (estimatedByCountry[country] ?? 0) + count;
    if (m.billable === null && AWAITING_PRICING.has(m.status)) unknown += count;
    if (m.billable !== true) return;
    billable += count;
    const price = priceOfMessage(card, m.phone, m.pricingCategory, templateCategory);
    const key = `${country}/${price.category}/${price.unitPrice}`;
    const line = lines.get(key) ?? { country, category: price.category, count: 0, unit_price: price.unitPrice };
    line.count += count;
    lines.set(key, line);
  };
  const groups = await countMessagePricingGroups(database.db, campaignId, SHARED_CALLING_CODES);
  for (const group of groups) if (!group.isPricedOneByOne) tally({ ...group, phone: group.samplePhone }, group.count);
  // Most campaigns have none of these: the groups said so without a second pass.
  for (let afterId = 0; groups.some((g) => g.isPricedOneByOne); ) {
    const page = await pageMessagePricing(database.db, {
      campaignId,
      afterId,
      limit: PAGE,
      sharedCodes: SHARED_CALLING_CODES,
    });
    for (const m of page) tally(m, 1);
    if (page.length < PAGE) break;
    afterId = page.at(-1)?.id ?? afterId;
  }
  const priced = [...lines.values()].map((l) => ({ ...l, cost: roundMoney(l.unit_price * l.count) }));
  priced.sort((a, b) => b.cost - a.cost || a.country.localeCompare(b.country));
  return {
    currency: card.currency,
    rate_card: card.label,
    actual: {
      billable_messages: billable,
      total: roundMoney(priced.reduce((sum, l) => sum + l.cost, 0)),
      lines: priced,
      pricing_unknown: unknown,
    },
    estimate: estimateCampaignCost(estimatedByCountry, templateCategory, card),
  };
}

function roundMoney(amount: number): number {
  return Math.round(amount * 10_000) / 10_000;
}
