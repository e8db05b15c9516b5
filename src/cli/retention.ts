import type { Command } from 'commander';
import { runRetention } from '../app/retention.ts';
import { hasPurged } from '../app/retention-job.ts';
import { AppError } from '../domain/errors.ts';
import { auditCli } from './audit-cli.ts';
import { runCommand } from './printer.ts';
import { withDatabase } from './with-database.ts';

function days(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new AppError('validation_failed', `${flag} must be a whole number of days, at least 1`, { field: flag });
  return n;
}

/** `chorus retention run`: purges old webhook payloads and message bodies now, as the worker does every few minutes. */
export function registerRetentionCommands(program: Command): void {
  program
    .command('retention')
    .description('purge raw webhook payloads and message bodies past their retention (docs/data-rights.md)')
    .command('run')
    .description('run the retention purge now (CHORUS_RETENTION_PAYLOAD_DAYS, CHORUS_RETENTION_BODY_DAYS)')
    .option(
      '--payload-days <n>',
      'purge raw webhook payloads older than this, instead of CHORUS_RETENTION_PAYLOAD_DAYS',
    )
    .option(
      '--body-days <n>',
      'purge message bodies and reply texts older than this, instead of CHORUS_RETENTION_BODY_DAYS',
    )
    .option('--json', 'machine output')
    .action((opts: { payloadDays?: string; bodyDays?: string; json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const report = await withDatabase(async (database, config) => {
          const policy = {
            payloadDays: days('--payload-days', opts.payloadDays) ?? config.retention.payloadDays,
            bodyDays: days('--body-days', opts.bodyDays) ?? config.retention.bodyDays,
          };
          if (policy.payloadDays === undefined && policy.bodyDays === undefined)
            printer.note(
              'retention is off (everything is kept): set CHORUS_RETENTION_PAYLOAD_DAYS or CHORUS_RETENTION_BODY_DAYS, or pass --payload-days / --body-days',
            );
          const purged = await runRetention(database, policy, Date.now);
          await auditCli(database.db, { action: 'data.retention_run', details: { ...policy, ...purged } });
          return purged;
        });
        printer.result(report, () =>
          hasPurged(report)
            ? Object.entries(report)
                .filter(([, n]) => n > 0)
                .map(([what, n]) => `${what.replaceAll('_', ' ')}: ${n}`)
            : ['nothing to purge'],
        );
      }),
    );
}
