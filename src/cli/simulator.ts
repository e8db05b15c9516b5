import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { DEFAULT_GRAPH_API_VERSION } from '../config.ts';
import { startSimulator } from '../simulator/index.ts';
import { SANDBOX_TEMPLATES } from '../simulator/sandbox-templates.ts';
import { runCommand } from './printer.ts';

interface SimulatorCliOptions {
  port: string;
  host: string;
  webhookUrl?: string;
  seed?: string;
  json?: boolean;
}

/** `chorus simulator [--port N] [--webhook-url U] [--seed S]`: the Cloud API simulator alone. */
export function registerSimulatorCommand(program: Command): void {
  program
    .command('simulator')
    .description('run the Cloud API simulator alone (a local stand-in for the Graph API)')
    .option('--port <port>', 'port to listen on (0 = any free port)', '0')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--webhook-url <url>', 'where to post signed webhooks')
    .option('--seed <seed>', 'seed of the fault and webhook randomness')
    .option('--json', 'machine output')
    .action((opts: SimulatorCliOptions) =>
      runCommand(opts, async (printer) => {
        const credentials = {
          accessToken: `SIM${randomBytes(18).toString('base64url')}`,
          phoneNumberId: '100000000000001',
          businessAccountId: '200000000000001',
          appSecret: randomBytes(16).toString('hex'),
        };
        const simulator = await startSimulator({
          ...credentials,
          host: opts.host,
          port: Number(opts.port),
          webhookUrl: opts.webhookUrl,
          seed: opts.seed === undefined ? undefined : Number(opts.seed),
          templates: SANDBOX_TEMPLATES.map((t) => structuredClone(t)),
        });
        const info = {
          url: simulator.url,
          apiVersion: DEFAULT_GRAPH_API_VERSION,
          ...credentials,
          webhookUrl: opts.webhookUrl ?? null,
        };
        printer.result(info, () => [
          `Cloud API simulator listening at ${simulator.url} (any vNN.N path version)`,
          `WA_GRAPH_URL=${simulator.url}`,
          `WA_PHONE_NUMBER_ID=${credentials.phoneNumberId}`,
          `WA_BUSINESS_ACCOUNT_ID=${credentials.businessAccountId}`,
          `WA_ACCESS_TOKEN=${credentials.accessToken}`,
          `WA_APP_SECRET=${credentials.appSecret}`,
          `webhooks: ${opts.webhookUrl ?? 'none (set one with POST /_sim/webhook {"url":…})'}`,
          `control API: ${simulator.url}/_sim/stats, /_sim/behaviour, /_sim/messages …`,
        ]);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await simulator.close();
      }),
    );
}
