import fs from 'node:fs';
import type { Command } from 'commander';
import { contactTarget, erasureTarget } from '../app/audit-targets.ts';
import { erasePerson } from '../app/erase-person.ts';
import { exportPerson } from '../app/export-person.ts';
import { auditCli, cliAuditSource } from './audit-cli.ts';
import { runCommand } from './printer.ts';
import { withDatabase } from './with-database.ts';

/** `chorus contacts export|erase <phone>`: a person's data rights (docs/data-rights.md). */
export function registerContactRightsCommands(contacts: Command): void {
  contacts
    .command('export <phone>')
    .description('print everything held about a number as JSON (contact, consent ledger, messages, replies)')
    .option('--out <file>', 'write it to this file (mode 0600) instead of stdout')
    .option('--json', 'machine output (the export is JSON either way)')
    .action((phone: string, opts: { out?: string; json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const data = await withDatabase(async ({ db }) => {
          const target = await contactTarget(db, phone);
          const exported = await exportPerson(db, phone, Date.now);
          await auditCli(db, { action: 'contact.export', ...(target ? { target } : {}) });
          return exported;
        });
        if (opts.out === undefined) return printer.result(data, () => [JSON.stringify(data, null, 2)]);
        fs.writeFileSync(opts.out, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
        const summary = { file: opts.out, messages: data.messages.length, replies: data.replies.length };
        printer.result(summary, () => [
          `wrote ${opts.out}: ${summary.messages} messages, ${summary.replies} replies, ${data.consent.length} consent entries`,
        ]);
      }),
    );

  contacts
    .command('erase <phone>')
    .alias('delete')
    .description('erase a person: delete their data, keep the number only as a salted hash so it is never used again')
    .option('--json', 'machine output')
    .action((phone: string, opts: { json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const result = await withDatabase(async ({ db }) => {
          const erased = await erasePerson(db, phone, { requestedBy: cliAuditSource().actor.label }, Date.now);
          await auditCli(db, { action: 'contact.erase', target: erasureTarget(erased), details: erased.removed });
          return erased;
        });
        const { removed } = result;
        printer.result({ phone, erased: true, ...result }, () => [
          `erased ${phone}${result.erasure.is_repeat ? ' again' : ''} (erasure #${result.erasure.id}); the number is kept only as a salted hash`,
          `  contact ${removed.contact ? 'deleted' : 'none'}, ${removed.consent_entries} consent entries deleted, ${removed.messages_scrubbed} messages and ${removed.replies_scrubbed} replies scrubbed (their statuses stay)`,
        ]);
      }),
    );
}
