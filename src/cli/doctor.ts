import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import type { CheckResult } from '../doctor/check.ts';
import { runDoctor } from '../doctor/run-doctor.ts';
import { runCommand } from './printer.ts';

const LABELS: Record<CheckResult['status'], string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

/** `chorus doctor [--json]`: checks what Chorus depends on and says what to fix; exits 1 when a check fails. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      "check the database and its disk, each sender's credentials, webhooks, the clock and templates, and say what to fix",
    )
    .option('--json', 'machine output')
    .action((opts: { json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const checks = await runDoctor(loadConfig());
        const failed = checks.filter((c) => c.status === 'fail').length;
        printer.result({ ok: failed === 0, checks }, () => describeChecks(checks, failed));
        if (failed > 0) process.exitCode = 1;
      }),
    );
}

/** One line per check: its status, name and finding, and after an arrow what to do. */
function describeChecks(checks: readonly CheckResult[], failed: number): string[] {
  const width = Math.max(...checks.map((c) => c.check.length));
  const lines = checks.map(
    (c) => `${LABELS[c.status].padEnd(4)}  ${c.check.padEnd(width)}  ${c.message}${c.fix ? ` → ${c.fix}` : ''}`,
  );
  const warned = checks.filter((c) => c.status === 'warn').length;
  lines.push(failed > 0 ? `${failed} check(s) failed, ${warned} warning(s)` : `all good, ${warned} warning(s)`);
  return lines;
}
