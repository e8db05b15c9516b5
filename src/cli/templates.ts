import type { Command } from 'commander';
import { DEFAULT_SENDER_ID } from '../app/senders.ts';
import { type SyncReport, syncTemplates } from '../app/sync-templates.ts';
import { type TemplateJson, templateJson } from '../app/template-view.ts';
import { toTemplateDefinition } from '../cloud-api/template-definition.ts';
import { TemplatesApi } from '../cloud-api/templates-api.ts';
import { type Config, loadConfig } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { getSender, type Sender, upsertSender } from '../store/senders-repo.ts';
import { listTemplates } from '../store/templates-repo.ts';
import { runCommand } from './printer.ts';
import { callServer } from './templates-server.ts';
import { withDatabase } from './with-database.ts';

interface SyncOpts {
  server?: string;
  apiKey?: string;
  json?: boolean;
}

const SANDBOX_HELP =
  'sandbox mode: the simulator only exists inside a running `chorus start`, so sync through it: ' +
  '`chorus templates sync --server http://127.0.0.1:3000 --api-key KEY` ' +
  '(or set WA_PHONE_NUMBER_ID, WA_BUSINESS_ACCOUNT_ID and WA_ACCESS_TOKEN to sync from Meta directly)';

/** `chorus templates sync|list`. */
export function registerTemplateCommands(program: Command): void {
  const templates = program.command('templates').description("the sender's message templates, as synced from Meta");

  templates
    .command('sync')
    .description(
      'fetch every template of the WABA and store it. With WA_* credentials it calls Meta directly; ' +
        'with --server it asks a running Chorus to sync (the only way in sandbox mode)',
    )
    .option('--server <url>', 'a running Chorus, e.g. http://127.0.0.1:3000')
    .option('--api-key <key>', 'bearer key for --server (default: CHORUS_API_KEY)')
    .option('--json', 'machine output')
    .action((opts: SyncOpts) =>
      runCommand(opts, async (printer) => {
        const config = loadConfig();
        const report = opts.server
          ? await syncThroughServer(opts.server, opts.apiKey ?? config.seedApiKey)
          : await syncFromMeta(config);
        printer.result(report, () => [
          `synced ${report.synced} templates (${Object.entries(report.by_status)
            .map(([status, n]) => `${n} ${status}`)
            .join(', ')})`,
          ...report.data.map(templateLine),
        ]);
      }),
    );

  templates
    .command('list')
    .description("templates synced for the default sender's WABA")
    .option('--json', 'machine output')
    .action((opts: { json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const data = await withDatabase(async ({ db }) => {
          const sender = await getSender(db, DEFAULT_SENDER_ID);
          return (await listTemplates(db, sender?.businessAccountId)).map(templateJson);
        });
        printer.result({ data, next_cursor: null }, () =>
          data.length > 0 ? data.map(templateLine) : ['no templates synced yet; run `chorus templates sync`'],
        );
      }),
    );
}

/** A sync's outcome, the same shape as POST /api/v1/templates/sync answers. */
interface SyncJson {
  synced: number;
  by_status: Record<string, number>;
  data: TemplateJson[];
}

async function syncFromMeta(config: Config): Promise<SyncJson> {
  const credentials = config.whatsapp;
  if (config.isSandbox || credentials === undefined) throw new AppError('invalid_state', SANDBOX_HELP);
  const api = new TemplatesApi({
    graphUrl: config.graph.baseUrl,
    apiVersion: config.graph.apiVersion,
    wabaId: credentials.businessAccountId,
    accessToken: credentials.accessToken,
  });
  const report: SyncReport = await withDatabase(async (database) => {
    // The same default sender `chorus start` registers from these variables.
    await upsertSender(
      database.db,
      {
        id: DEFAULT_SENDER_ID,
        phoneNumberId: credentials.phoneNumberId,
        businessAccountId: credentials.businessAccountId,
        ratePerSec: config.sender.ratePerSec,
        dailyLimit: config.sender.dailyRecipientLimit,
      },
      Date.now(),
    );
    const sender = (await getSender(database.db, DEFAULT_SENDER_ID)) as Sender;
    const source = async (signal: AbortSignal) => (await api.listTemplates(signal)).map(toTemplateDefinition);
    return syncTemplates(database, sender, source, Date.now(), AbortSignal.timeout(60_000));
  });
  return { synced: report.synced, by_status: report.by_status, data: report.templates.map(templateJson) };
}

async function syncThroughServer(server: string, apiKey: string | undefined): Promise<SyncJson> {
  return (await callServer({ server, apiKey, method: 'POST', path: '/api/v1/templates/sync' })) as SyncJson;
}

function templateLine(t: { name: string; language: string; status: string; category: string }): string {
  return `${t.name}\t${t.language}\t${t.status}\t${t.category}`;
}
