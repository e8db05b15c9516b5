import fs from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { contactTarget } from '../app/audit-targets.ts';
import { recordOptIn, recordOptOut } from '../app/consent.ts';
import type { ContactJson } from '../app/contact-view.ts';
import { getContact, listContactsPage } from '../app/contacts.ts';
import { importContacts } from '../app/import-contacts.ts';
import type { ConsentPurpose } from '../domain/consent.ts';
import { AppError } from '../domain/errors.ts';
import { auditCli } from './audit-cli.ts';
import { registerContactRightsCommands } from './contacts-rights.ts';
import { keepHeapNearLiveSize } from './heap.ts';
import type { Printer } from './printer.ts';
import { runCommand } from './printer.ts';
import { withDatabase } from './with-database.ts';

interface ImportOpts {
  tag: string[];
  consentSource?: string;
  consentPurpose?: string;
  defaultCountry?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `chorus contacts import|list|get|opt-out|opt-in|export|erase`. */
export function registerContactCommands(program: Command): void {
  const contacts = program.command('contacts').description('contacts, consent and the suppression list');

  contacts
    .command('import <file>')
    .description('import a contacts CSV (header row, phone column required)')
    .option('--tag <tag>', 'add this tag to every row (repeatable)', collect, [])
    .option('--consent-source <source>', 'rows without opted_in_at are granted consent now, from this source')
    .option('--consent-purpose <purpose>', 'marketing (covers utility) or utility', 'marketing')
    .option('--default-country <CC>', 'country for numbers in national format, e.g. DE')
    .option('--json', 'machine output')
    .action((file: string, opts: ImportOpts) => runCommand(opts, (printer) => runImport(file, opts, printer)));

  contacts
    .command('list')
    .option('--tag <tag>', 'only contacts with this tag')
    .option('--q <prefix>', 'phone or name prefix')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--limit <n>', 'page size', '50')
    .option('--json', 'machine output')
    .action((opts: { tag?: string; q?: string; cursor?: string; limit: string; json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const page = await withDatabase(({ db }) =>
          listContactsPage(db, { tag: opts.tag, q: opts.q, cursor: opts.cursor, limit: Number(opts.limit) }),
        );
        printer.result(page, () => [
          ...page.data.map(contactLine),
          ...(page.next_cursor ? [`(more: --cursor ${page.next_cursor})`] : []),
        ]);
      }),
    );

  contacts
    .command('get <phone>')
    .option('--json', 'machine output')
    .action((phone: string, opts: { json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const contact = await withDatabase(({ db }) => getContact(db, phone));
        printer.result(contact, () => [contactLine(contact), `attributes: ${JSON.stringify(contact.attributes)}`]);
      }),
    );

  registerConsentCommands(contacts);
  registerContactRightsCommands(contacts);
}

function registerConsentCommands(contacts: Command): void {
  for (const action of ['opt-out', 'opt-in'] as const) {
    contacts
      .command(`${action} <phone>`)
      .description(action === 'opt-out' ? 'revoke consent and suppress the number' : 'record consent')
      .option('--source <source>', 'where this came from', 'cli')
      .option('--purpose <purpose>', 'marketing or utility (opt-out without it revokes everything)')
      .option('--evidence <text>', 'proof to keep in the ledger')
      .option('--json', 'machine output')
      .action((phone: string, opts: { source: string; purpose?: string; evidence?: string; json?: boolean }) =>
        runCommand(opts, async (printer) => {
          if (opts.purpose !== undefined && opts.purpose !== 'marketing' && opts.purpose !== 'utility') {
            throw new AppError('validation_failed', '--purpose must be marketing or utility', { field: 'purpose' });
          }
          const purpose = opts.purpose as ConsentPurpose | undefined;
          const evidence = { source: opts.source, purpose, evidence: opts.evidence };
          const record = action === 'opt-out' ? recordOptOut : recordOptIn;
          const status = await withDatabase(async ({ db }) => {
            const recorded = await record(db, phone, evidence, Date.now);
            await auditCli(db, {
              action: action === 'opt-out' ? 'contact.opt_out' : 'contact.opt_in',
              target: await contactTarget(db, phone),
              details: { source: opts.source, purpose: purpose ?? 'all' },
            });
            return recorded;
          });
          printer.result(status, () => [
            `${status.phone}: marketing ${status.consent.marketing ?? 'no'}, utility ${status.consent.utility ?? 'no'}${status.suppressed ? `, suppressed (${status.suppressed})` : ''}`,
          ]);
        }),
      );
  }
}

async function runImport(file: string, opts: ImportOpts, printer: Printer): Promise<void> {
  keepHeapNearLiveSize();
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new AppError('validation_failed', `no such file: ${file}`, { field: 'file' });
  const bar =
    !printer.isJson && process.stderr.isTTY
      ? new SingleBar({ format: 'importing {bar} {percentage}% | {rows} rows | {eta}s left' })
      : undefined;
  bar?.start(size, 0, { rows: 0 });
  try {
    const report = await withDatabase(async (database) => {
      const done = await importContacts(
        database,
        fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
        {
          fileName: path.basename(file),
          tags: opts.tag,
          consentSource: opts.consentSource,
          consentPurpose: opts.consentPurpose,
          defaultCountry: opts.defaultCountry,
          onProgress: ({ rows, bytes }) => bar?.update(bytes, { rows }),
        },
        Date.now,
      );
      const { imported, updated, invalid, duplicates } = done;
      const details = { file_name: path.basename(file), imported, updated, invalid, duplicates };
      await auditCli(database.db, { action: 'contacts.import', details });
      return done;
    });
    bar?.update(size);
    bar?.stop();
    printer.result(report, () => [
      `imported ${report.imported}, updated ${report.updated}, invalid ${report.invalid}, duplicates ${report.duplicates}`,
      ...report.errors.slice(0, 20).map((e) => `  line ${e.row}: ${e.reason}`),
      ...(report.errors.length > 20 ? [`  … ${report.invalid - 20} more (use --json for up to 1,000)`] : []),
    ]);
  } finally {
    bar?.stop();
  }
}

function contactLine(c: ContactJson): string {
  const name = [c.first_name, c.last_name].filter(Boolean).join(' ') || '-';
  const consent = c.consent.marketing ? 'marketing' : c.consent.utility ? 'utility' : 'no consent';
  return `${c.phone}\t${name}\t[${c.tags.join(', ')}]\t${consent}${c.suppressed ? `\tsuppressed (${c.suppressed})` : ''}`;
}
