import type { Command } from 'commander';
import { campaignTarget } from '../app/audit-targets.ts';
import { campaignReportCsv } from '../app/campaign-report.ts';
import { buildCampaignReport, type CampaignReport } from '../app/campaign-report-view.ts';
import { requireCampaign } from '../app/campaigns.ts';
import { loadRateCard } from '../app/rate-card.ts';
import { createResendCampaign } from '../app/resend-failed.ts';
import { createKeywordMatcher } from '../domain/opt-out-keywords.ts';
import { auditCli } from './audit-cli.ts';
import { campaignLine, parseId } from './campaigns-format.ts';
import { runCommand } from './printer.ts';
import { withDatabase } from './with-database.ts';

/** `chorus campaigns report ID [--csv]` and `chorus campaigns resend-failed ID`. */
export function registerCampaignReportCommands(campaigns: Command): void {
  campaigns
    .command('report <id>')
    .description('what happened: counts, failures by error code, timeline, replies, opt-outs, cost')
    .option('--csv', 'one row per recipient, the same CSV as GET /api/v1/campaigns/{id}/report.csv')
    .option('--json', 'machine output (the body of GET /api/v1/campaigns/{id}/report)')
    .action((id: string, opts: { csv?: boolean; json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const campaignId = parseId(id);
        await withDatabase(async (database, config) => {
          const card = loadRateCard(config);
          if (opts.csv) {
            await requireCampaign(database, campaignId);
            for await (const chunk of campaignReportCsv(database, campaignId, card)) await printer.write(chunk);
            return;
          }
          const matchKeyword = createKeywordMatcher(config.keywords.optOut, config.keywords.optIn);
          const report = await buildCampaignReport(database, campaignId, card, matchKeyword);
          printer.result(report, () => reportLines(report));
        });
      }),
    );

  campaigns
    .command('resend-failed <id>')
    .description(
      'create a draft follow-up campaign to the messages that failed with a retryable error ' +
        '(never to permanent failures such as 131026 or 131050); start it with `campaigns start`',
    )
    .option('--json', 'machine output')
    .action((id: string, opts: { json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const campaignId = parseId(id);
        const result = await withDatabase(async (database) => {
          const created = await createResendCampaign(database, campaignId, Date.now());
          await auditCli(database.db, {
            action: 'campaign.resend_failed',
            target: campaignTarget(campaignId),
            details: { follow_up: created.campaign.id, resent_codes: created.resent_codes },
          });
          return created;
        });
        printer.result(result, () => [
          campaignLine(result.campaign),
          `resends failures with codes ${result.resent_codes.join(', ')}`,
          ...Object.entries(result.not_resent).map(([code, n]) => `  not resent: ${n} with code ${code}`),
          `start it with: chorus campaigns start ${result.campaign.id}`,
        ]);
      }),
    );
}

function reportLines(r: CampaignReport): string[] {
  const counts = Object.entries(r.counts)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  const cost = r.cost;
  return [
    campaignLine(r.campaign),
    `total ${r.total}: ${counts}`,
    ...(r.failures.length > 0 ? ['failures:'] : []),
    ...r.failures.flatMap((f) => [
      `  ${f.count} × ${f.code ?? 'no code'}${f.resendable ? ' (resendable)' : ''}: ${f.explanation}`,
      `      → ${f.action}`,
    ]),
    ...(r.skipped.length > 0 ? [`skipped: ${r.skipped.map((s) => `${s.reason} ${s.count}`).join(', ')}`] : []),
    `replies: ${r.replies.messages} from ${r.replies.from_numbers} numbers; opt-outs: ${r.opt_outs.numbers}`,
    `cost: ${cost.actual.total} ${cost.currency} for ${cost.actual.billable_messages} billable messages ` +
      `(estimate ${cost.estimate.total} ${cost.currency}${cost.actual.pricing_unknown > 0 ? `; pricing not reported yet for ${cost.actual.pricing_unknown}` : ''})`,
    ...(r.timeline.length > 0 ? ['minute (UTC)        sent  delivered  read  failed'] : []),
    ...r.timeline.map(
      (t) =>
        `${t.minute.slice(0, 16)}  ${pad(t.sent, 6)}  ${pad(t.delivered, 9)}  ${pad(t.read, 4)}  ${pad(t.failed, 6)}`,
    ),
  ];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width);
}
