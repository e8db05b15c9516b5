import { describeMetaError } from '../cloud-api/error-catalogue.ts';
import { DEFAULT_RATE_CARD, pricingCategoryOf, type RateCard } from '../domain/pricing.ts';
import type { TemplateCategory } from '../domain/template.ts';
import { pageCampaignMessages } from '../store/campaign-messages-repo.ts';
import { getCampaign } from '../store/campaigns-repo.ts';
import type { Database } from '../store/db.ts';
import { getTemplate } from '../store/templates-repo.ts';
import { priceOfMessage } from './campaign-cost.ts';
import { toCsvLines } from './csv-output.ts';
import { iso } from './iso-time.ts';

const REPORT_COLUMNS = [
  'phone',
  'name',
  'status',
  'reason',
  'wamid',
  'attempts',
  'accepted_at',
  'sent_at',
  'delivered_at',
  'read_at',
  'failed_at',
  'error_code',
  'error_title',
  'error_explanation',
  'pricing_category',
  'billable',
  // The rate card's price for a billable message (0 when Meta said not billable, empty when unknown).
  'cost',
];

const PAGE = 5_000;

/**
 * report.csv: one row per recipient, streamed page by page so a million-row campaign stays flat in
 * memory; names and Meta's error texts cannot run as spreadsheet formulas.
 */
export async function* campaignReportCsv(
  database: Database,
  campaignId: number,
  card: RateCard = DEFAULT_RATE_CARD,
): AsyncGenerator<string> {
  const campaign = await getCampaign(database.db, campaignId);
  const template = campaign ? await getTemplate(database.db, campaign.templateId) : undefined;
  const category = pricingCategoryOf((template?.category ?? 'MARKETING') as TemplateCategory);
  yield toCsvLines([REPORT_COLUMNS]);
  let afterId = 0;
  for (;;) {
    const rows = await pageCampaignMessages(database.db, { campaignId, afterId, limit: PAGE });
    if (rows.length === 0) return;
    yield toCsvLines(
      rows.map((m) => [
        m.phone,
        [m.first_name, m.last_name].filter(Boolean).join(' '),
        m.status,
        m.status_reason ?? '',
        m.wamid ?? '',
        m.attempts,
        iso(m.accepted_at) ?? '',
        iso(m.sent_at) ?? '',
        iso(m.delivered_at) ?? '',
        iso(m.read_at) ?? '',
        iso(m.failed_at) ?? '',
        m.error_code ?? '',
        m.error_title ?? '',
        m.error_code === null ? '' : (describeMetaError(m.error_code)?.explanation ?? ''),
        m.pricing_category ?? '',
        m.billable === null ? '' : m.billable === 1 ? 'true' : 'false',
        m.billable === null
          ? ''
          : m.billable === 1
            ? priceOfMessage(card, m.phone, m.pricing_category, category).unitPrice
            : 0,
      ]),
    );
    afterId = rows.at(-1)?.id ?? afterId;
  }
}
