import type { Command } from 'commander';
import { issueApiKey, listApiKeysPage, withdrawApiKey } from '../app/api-key-admin.ts';
import { cliAuditSource } from './audit-cli.ts';
import { parseRole } from './parse-role.ts';
import { runCommand } from './printer.ts';
import { withDatabase } from './with-database.ts';

/** `chorus apikeys create|list|revoke`. */
export function registerApiKeyCommands(program: Command): void {
  const apikeys = program.command('apikeys').description('manage bearer API keys (stored hashed)');

  apikeys
    .command('create')
    .description('create a key; it is shown once')
    .option('--name <name>', 'what the key is for', 'cli')
    .option('--role <role>', 'viewer, operator or admin', 'operator')
    .option('--json', 'machine output')
    .action((opts: { name: string; role: string; json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const input = { name: opts.name, role: parseRole(opts.role) };
        const created = await withDatabase(({ db }) => issueApiKey(db, input, cliAuditSource(), Date.now()));
        printer.result(created, () => [
          created.key,
          `(key #${created.id} "${created.name}", ${created.role}; store it now, it is not shown again)`,
        ]);
      }),
    );

  apikeys
    .command('list')
    .option('--json', 'machine output')
    .action((opts: { json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const page = await withDatabase(({ db }) => listApiKeysPage(db, { limit: 1000 }));
        printer.result(page, () =>
          page.data.map((k) => `#${k.id}\t${k.prefix}…\t${k.role}\t${k.name}${k.revoked_at ? '\t(revoked)' : ''}`),
        );
      }),
    );

  apikeys
    .command('revoke <id>')
    .option('--json', 'machine output')
    .action((id: string, opts: { json?: boolean }) =>
      runCommand(opts, async (printer) => {
        await withDatabase(({ db }) => withdrawApiKey(db, Number(id), cliAuditSource(), Date.now()));
        printer.result({ revoked: Number(id) }, () => [`revoked key #${id}`]);
      }),
    );
}
