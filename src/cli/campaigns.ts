import type { Command } from 'commander';
import { campaignTarget } from '../app/audit-targets.ts';
import { loadProhibitedWords } from '../app/campaign-content.ts';
import { listCampaignViews } from '../app/campaign-lists.ts';
import { type CampaignAction, changeCampaignStatus, createCampaign } from '../app/campaigns.ts';
import { dryRunCampaign } from '../app/dry-run.ts';
import { loadRateCard } from '../app/rate-card.ts';
import { AppError } from '../domain/errors.ts';
import { auditCli } from './audit-cli.ts';
import { campaignLine, parseId } from './campaigns-format.ts';
import { addCampaignFlags, type CampaignFlags, campaignInputFromFlags } from './campaigns-input.ts';
import { registerCampaignReportCommands } from './campaigns-report.ts';
import { registerCampaignStatusCommand } from './campaigns-status.ts';
import { runCommand } from './printer.ts';
import { withDatabase } from './with-database.ts';

const PICKED_UP =
  'This only changes the status in the database: a running `chorus start` (its dispatcher re-reads ' +
  'running campaigns every 250 ms) picks it up within a second; nothing is sent without one.';

const ACTION_HELP: Record<CampaignAction, string> = {
  start: `start a draft or scheduled campaign now. ${PICKED_UP}`,
  pause: 'pause a running or scheduled campaign; messages in flight finish, nothing new is claimed',
  resume: `resume a paused campaign: running again, or scheduled while its time is still ahead. ${PICKED_UP}`,
  cancel: 'cancel a campaign for good; messages not yet sent become skipped ("campaign cancelled")',
};

/** `chorus campaigns create|dry-run|list|start|pause|resume|cancel|status|report|resend-failed`. */
export function registerCampaignCommands(program: Command): void {
  const campaigns = program
    .command('campaigns')
    .description('create, run and report campaigns, directly on DATABASE_URL');

  addCampaignFlags(campaigns.command('create').description('create a campaign (a draft, or scheduled with --schedule)'))
    .addHelpText(
      'after',
      `\nExample:\n  chorus campaigns create --name Spring --template welcome --param "{{first_name|there}}" --tag vip`,
    )
    .action((flags: CampaignFlags) =>
      runCommand(flags, async (printer) => {
        const input = campaignInputFromFlags(flags);
        const view = await withDatabase(async (database) => {
          const created = await createCampaign(database, input, Date.now());
          await auditCli(database.db, {
            action: 'campaign.create',
            target: campaignTarget(created.id),
            details: { name: created.name, status: created.status, template: created.template.name },
          });
          return created;
        });
        printer.result(view, () => [
          `campaign ${view.id} "${view.name}" is ${view.status}, audience ${view.audience_size}`,
          ...(view.status === 'draft' ? [`start it with: chorus campaigns start ${view.id}`] : []),
        ]);
      }),
    );

  addCampaignFlags(
    campaigns.command('dry-run').description('who would get it, who is left out and why, cost and duration'),
  ).action((flags: CampaignFlags) =>
    runCommand(flags, async (printer) => {
      // A dry run stores nothing, so it needs no name.
      const input = campaignInputFromFlags(flags, { name: 'dry run' });
      const report = await withDatabase((database, config) =>
        dryRunCampaign(database, input, Date.now(), loadRateCard(config), loadProhibitedWords(config.contentWordsPath)),
      );
      printer.result(report, () => [
        `audience ${report.audience}, eligible ${report.eligible}`,
        ...Object.entries(report.excluded)
          .filter(([, n]) => n > 0)
          .map(([reason, n]) => `  excluded ${reason}: ${n}`),
        `estimated cost ${report.estimated_cost.total} ${report.estimated_cost.currency} (${report.estimated_cost.category})`,
        `estimated duration: ${report.duration_note}`,
        `daily limit ${report.daily_limit.used}/${report.daily_limit.limit} used`,
        ...report.warnings.map((w) => `warning: ${w}`),
      ]);
    }),
  );

  campaigns
    .command('list')
    .description('campaigns, newest first')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--limit <n>', 'page size', '50')
    .option('--json', 'machine output')
    .action((opts: { cursor?: string; limit: string; json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const page = await withDatabase((database) =>
          listCampaignViews(database, { cursor: opts.cursor, limit: parseLimit(opts.limit) }),
        );
        printer.result(page, () => [
          ...page.data.map(campaignLine),
          ...(page.next_cursor ? [`(more: --cursor ${page.next_cursor})`] : []),
        ]);
      }),
    );

  for (const action of Object.keys(ACTION_HELP) as CampaignAction[]) {
    campaigns
      .command(`${action} <id>`)
      .description(ACTION_HELP[action])
      .option('--json', 'machine output')
      .action((id: string, opts: { json?: boolean }) =>
        runCommand(opts, async (printer) => {
          const reason = action === 'pause' ? 'paused from the command line' : null;
          const view = await withDatabase(async (database) => {
            const changed = await changeCampaignStatus(database, parseId(id), action, Date.now(), reason);
            await auditCli(database.db, { action: `campaign.${action}`, target: campaignTarget(changed.id) });
            return changed;
          });
          printer.result(view, () => [campaignLine(view)]);
        }),
      );
  }

  registerCampaignStatusCommand(campaigns);
  registerCampaignReportCommands(campaigns);
}

function parseLimit(text: string): number {
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new AppError('validation_failed', '--limit must be 1–1000', { field: 'limit' });
  }
  return limit;
}
