import type { Command } from 'commander';
import { listSenderViews, type SenderView, setSenderPausedByPerson } from '../app/senders.ts';
import { runCommand } from './printer.ts';
import { withDatabase } from './with-database.ts';

const PICKED_UP =
  'This changes the sender in the database: a running `chorus start` re-reads it every 250 ms, so its ' +
  'campaigns stop or go on within a second.';

/** `chorus senders list|pause|resume`. */
export function registerSenderCommands(program: Command): void {
  const senders = program.command('senders').description('see and pause or resume senders, directly on DATABASE_URL');

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
        const view = await withDatabase(({ db }) => setSenderPausedByPerson(db, id, null, Date.now()));
        printer.result(view, () => [senderLine(view)]);
      }),
    );
}

function senderLine(sender: SenderView): string {
  const state = sender.status === 'active' ? 'active' : `PAUSED (${sender.paused_by}): ${sender.status_reason}`;
  return `${sender.id}\tphone number ${sender.phone_number_id}\t${sender.mps} msg/s\t${sender.daily_limit} a day\t${state}`;
}
