import fs from 'node:fs';
import type { Command } from 'commander';
import { senderInputSchema } from '../app/sender-input.ts';
import {
  createSender,
  deleteSender,
  listSenderViews,
  type SenderView,
  setSenderPausedByPerson,
} from '../app/senders.ts';
import { AppError } from '../domain/errors.ts';
import { openCredentialBox, secretKeyFile } from '../secret-key.ts';
import { auditCli } from './audit-cli.ts';
import { runCommand } from './printer.ts';
import { withDatabase } from './with-database.ts';

const PICKED_UP =
  'This changes the sender in the database: a running `chorus start` re-reads it every 250 ms, so its ' +
  'campaigns stop or go on within a second.';

/** The flags of `chorus senders add`. */
interface AddFlags {
  name: string;
  id?: string;
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
  appSecret?: string;
  mps: string;
  dailyLimit: string;
  json?: boolean;
}

/** `chorus senders add|list|pause|resume|remove`. */
export function registerSenderCommands(program: Command): void {
  const senders = program.command('senders').description('add, see, pause, resume and remove senders, on DATABASE_URL');

  senders
    .command('add')
    .description('add a sender: a business phone number with its own credentials (stored sealed) and limits')
    .requiredOption('--name <name>', 'what people call it, e.g. "Brand B Germany"')
    .option('--id <id>', 'its id in the API and CLI (default: made from the name)')
    .requiredOption('--phone-number-id <id>', "Meta's phone number id")
    .requiredOption('--business-account-id <id>', "Meta's WhatsApp Business Account id")
    .requiredOption(
      '--access-token <token|@file>',
      'a system-user token; @FILE reads it from a file, out of the shell history',
    )
    .option('--app-secret <secret|@file>', 'the app secret webhooks are signed with; @FILE reads it from a file')
    .option('--mps <n>', 'messages per second', '80')
    .option('--daily-limit <n>', 'unique recipients per rolling 24 h (the messaging tier)', '1000')
    .option('--json', 'machine output')
    .action((flags: AddFlags) =>
      runCommand(flags, async (printer) => {
        const parsed = senderInputSchema.safeParse({
          name: flags.name,
          id: flags.id,
          phone_number_id: flags.phoneNumberId,
          business_account_id: flags.businessAccountId,
          access_token: readSecret(flags.accessToken, 'access-token'),
          app_secret: flags.appSecret === undefined ? undefined : readSecret(flags.appSecret, 'app-secret'),
          mps: Number(flags.mps),
          daily_limit: Number(flags.dailyLimit),
        });
        if (!parsed.success) {
          const field = parsed.error.issues[0]?.path.join('.') ?? 'sender';
          throw new AppError('validation_failed', `${field}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, {
            field,
          });
        }
        const view = await withDatabase(async ({ db }, config) => {
          const box = openCredentialBox(config.secretKey, secretKeyFile(config.database));
          const created = await createSender(db, { box }, parsed.data, Date.now());
          await auditCli(db, {
            action: 'sender.create',
            target: { type: 'sender', id: created.id },
            details: { name: created.name },
          });
          return created;
        });
        printer.result(view, () => [
          senderLine(view),
          `${PICKED_UP.replace('its campaigns stop or go on', 'it starts')}`,
        ]);
      }),
    );

  senders
    .command('list')
    .description('every sender with its limits and state (paused senders say why)')
    .option('--json', 'machine output')
    .action((opts: { json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const data = await withDatabase(({ db }) => listSenderViews(db));
        printer.result({ data }, () =>
          data.length === 0 ? ['no sender yet: run `chorus start` once'] : data.map(senderLine),
        );
      }),
    );

  senders
    .command('pause <id>')
    .description(`pause a sender: its campaigns send nothing until it is resumed. ${PICKED_UP}`)
    .option('--reason <text>', 'why, shown on the sender and its running campaigns', 'paused by a person')
    .option('--json', 'machine output')
    .action((id: string, opts: { reason: string; json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const view = await withDatabase(({ db }) =>
          setSenderPausedByPerson(db, id, { reason: opts.reason }, Date.now()),
        );
        printer.result(view, () => [senderLine(view)]);
      }),
    );

  senders
    .command('resume <id>')
    .description(
      `let a paused sender send again (an auth pause comes back if its credentials still fail). ${PICKED_UP}`,
    )
    .option('--json', 'machine output')
    .action((id: string, opts: { json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const view = await withDatabase(async ({ db }) => {
          const resumed = await setSenderPausedByPerson(db, id, null, Date.now());
          await auditCli(db, { action: 'sender.resume', target: { type: 'sender', id } });
          return resumed;
        });
        printer.result(view, () => [senderLine(view)]);
      }),
    );

  senders
    .command('remove <id>')
    .description('remove a sender with no scheduled, running or paused campaign; its history stays')
    .option('--json', 'machine output')
    .action((id: string, opts: { json?: boolean }) =>
      runCommand(opts, async (printer) => {
        await withDatabase(async ({ db }) => {
          await deleteSender(db, id, Date.now());
          await auditCli(db, { action: 'sender.delete', target: { type: 'sender', id } });
        });
        printer.result({ removed: id }, () => [`removed sender ${id}`]);
      }),
    );
}

/** A secret given on the command line, or `@FILE` to read it from a file (first line). */
function readSecret(value: string, flag: string): string {
  if (!value.startsWith('@')) return value;
  try {
    return fs.readFileSync(value.slice(1), 'utf8').split('\n')[0]?.trim() ?? '';
  } catch (error) {
    throw new AppError('validation_failed', `--${flag}: cannot read ${value.slice(1)}`, { field: flag, cause: error });
  }
}

function senderLine(sender: SenderView): string {
  const state = sender.status === 'active' ? 'active' : `PAUSED (${sender.paused_by}): ${sender.status_reason}`;
  return `${sender.id}\tphone number ${sender.phone_number_id}\t${sender.mps} msg/s\t${sender.daily_limit} a day\t${state}`;
}
