import fs from 'node:fs';
import type { Command } from 'commander';
import { backupDatabase, POSTGRES_BACKUP_GUIDANCE, type RestoreReport, restoreDatabase } from '../app/backup.ts';
import { type Config, loadConfig } from '../config.ts';
import { secretKeyFile } from '../secret-key.ts';
import { auditCli } from './audit-cli.ts';
import type { Printer } from './printer.ts';
import { runCommand } from './printer.ts';
import { withDatabase } from './with-database.ts';

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Before refusing PostgreSQL, says how its own tools do the job. */
function guideOnPostgres(printer: Printer, kind: string): void {
  if (kind === 'postgres') for (const line of POSTGRES_BACKUP_GUIDANCE) printer.note(line);
}

/** `chorus backup FILE` and `chorus restore FILE` (SQLite; PostgreSQL has pg_dump and pg_restore). */
export function registerBackupCommands(program: Command): void {
  program
    .command('backup <file>')
    .description('write a consistent copy of the SQLite database, even while Chorus runs')
    .option('--force', 'replace the file if it exists')
    .option('--json', 'machine output')
    .action((file: string, opts: { force?: boolean; json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const { database } = loadConfig();
        guideOnPostgres(printer, database.kind);
        const report = await backupDatabase(database, file, { force: opts.force === true }, Date.now);
        await withDatabase(({ db }) =>
          auditCli(db, { action: 'database.backup', details: { file: report.file, bytes: report.bytes } }),
        );
        printer.result(report, () => [
          `backed up to ${report.file} (${megabytes(report.bytes)}, ${report.migrations} migrations, ${report.took_ms} ms)`,
          'it holds personal data: keep it as safe as the database (it was written with mode 0600)',
        ]);
      }),
    );

  program
    .command('restore <file>')
    .description('put a backup in place of the SQLite database (stop Chorus first), then migrate it')
    .option('--force', 'replace an existing database (kept beside it as .before-restore-…)')
    .option('--json', 'machine output')
    .action((file: string, opts: { force?: boolean; json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const config = loadConfig();
        guideOnPostgres(printer, config.database.kind);
        const report = await restoreDatabase(config.database, file, { force: opts.force === true }, Date.now);
        // Recorded in the restored database: the one that goes on from here.
        await withDatabase(({ db }) =>
          auditCli(db, {
            action: 'database.restore',
            details: { from: report.from, replaced: report.previous_kept_as },
          }),
        );
        for (const warning of restoreWarnings(report, config)) printer.note(warning);
        printer.result(report, () => [
          `restored ${report.restored} from ${report.from}`,
          ...(report.previous_kept_as ? [`the database it replaced is kept as ${report.previous_kept_as}`] : []),
          ...(report.migrations_applied.length > 0 ? [`migrated: ${report.migrations_applied.join(', ')}`] : []),
          ...(report.erasures.people_erased_again > 0
            ? [`${report.erasures.people_erased_again} people erased since the backup were erased again`]
            : []),
        ]);
      }),
    );
}

/** What a person must still do after a restore: a missing secret key, erasures that could not be carried. */
function restoreWarnings(report: RestoreReport, config: Config): string[] {
  const warnings: string[] = [];
  const keyFile = secretKeyFile(config.database);
  if (report.sealed_senders > 0 && config.secretKey === undefined && keyFile && !fs.existsSync(keyFile)) {
    warnings.push(
      `${report.sealed_senders} senders' credentials are sealed with the secret key of the Chorus that wrote the backup: put its secret.key at ${keyFile} or set CHORUS_SECRET_KEY, or enter them again (chorus senders add)`,
    );
  }
  if (report.erasures.erasures_not_carried > 0) {
    warnings.push(
      `${report.erasures.erasures_not_carried} erasures of the replaced database could not be carried over (the backup is of another installation): erase those people again`,
    );
  }
  return warnings;
}
