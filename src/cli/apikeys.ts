import type { Command } from 'commander';
import { createApiKey } from '../app/api-keys.ts';
import { AppError } from '../domain/errors.ts';
import { listApiKeys, revokeApiKey } from '../store/api-keys-repo.ts';
import { runCommand } from './printer.ts';
import { withDatabase } from './with-database.ts';

/** `chorus apikeys create|list|revoke`. */
export function registerApiKeyCommands(program: Command): void {
  const apikeys = program.command('apikeys').description('manage bearer API keys (stored hashed)');

  apikeys
    .command('create')
    .description('create a key; it is shown once')
    .option('--name <name>', 'what the key is for', 'cli')
    .option('--json', 'machine output')
    .action((opts: { name: string; json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const created = await withDatabase(({ db }) => createApiKey(db, opts.name, Date.now()));
        printer.result(created, () => [
          created.key,
          `(key #${created.id} "${opts.name}"; store it now, it is not shown again)`,
        ]);
      }),
    );

  apikeys
    .command('list')
    .option('--json', 'machine output')
    .action((opts: { json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const keys = await withDatabase(({ db }) => listApiKeys(db));
        printer.result({ data: keys }, () =>
          keys.map((k) => `#${k.id}\t${k.prefix}…\t${k.name}${k.revokedAt ? '\t(revoked)' : ''}`),
        );
      }),
    );

  apikeys
    .command('revoke <id>')
    .option('--json', 'machine output')
    .action((id: string, opts: { json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const isRevoked = await withDatabase(({ db }) => revokeApiKey(db, Number(id), Date.now()));
        if (!isRevoked) throw new AppError('not_found', `no active API key #${id}`);
        printer.result({ revoked: Number(id) }, () => [`revoked key #${id}`]);
      }),
    );
}
