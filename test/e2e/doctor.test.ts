// `chorus doctor` as a user runs it: a process of its own, beside a simulator process and a
// running Chorus on the same database; exit 0 when all is well, 1 with the reason when not.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/doctor/check.ts';
import {
  type ChorusProcess,
  chorusEnvFor,
  freePort,
  type SimulatorProcess,
  startChorusProcess,
  startSimulatorProcess,
  stopChild,
} from './support/processes.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const VERIFY_TOKEN = 'e2e-doctor-verify-token';

/** Runs `chorus doctor` with this environment; answers its exit code and output. */
function runDoctor(env: Record<string, string>, flags: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/chorus.mjs'), 'doctor', ...flags], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout }));
  });
}

describe('chorus doctor beside a running Chorus', () => {
  let dir = '';
  let sim: SimulatorProcess;
  let chorus: ChorusProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-doctor-e2e-'));
    sim = await startSimulatorProcess({}, undefined, path.join(dir, 'simulator.log'));
    const port = await freePort();
    env = chorusEnvFor(
      { port, databaseUrl: `sqlite:${path.join(dir, 'chorus.db')}`, apiKey: 'e2e-doctor-key', simulatorUrl: sim.url },
      { WA_VERIFY_TOKEN: VERIFY_TOKEN },
    );
    chorus = await startChorusProcess(env, path.join(dir, 'chorus.log'));
  }, 60_000);
  afterAll(async () => {
    await stopChild(chorus.child, 'SIGTERM');
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 with every check ok or a warning, the verification handshake tried on the server', async () => {
    const { code, stdout } = await runDoctor(env, ['--json']);
    const report = JSON.parse(stdout) as { ok: boolean; checks: CheckResult[] };
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    const byCheck = new Map(report.checks.map((c) => [c.check, c]));
    expect(byCheck.get('sender default')?.status).toBe('ok');
    expect(byCheck.get('webhooks default')?.status).toBe('ok');
    expect(byCheck.get('webhook verification')).toMatchObject({
      status: 'ok',
      message: expect.stringContaining(chorus.url),
    });
    expect(byCheck.get('clock')?.status).toBe('ok');
    expect(byCheck.get('migrations')?.status).toBe('ok');
  });

  it('exits 1 and says the token was rejected, in one line with what to do', async () => {
    const { code, stdout } = await runDoctor({ ...env, WA_ACCESS_TOKEN: 'a-wrong-token' }, []);
    expect(code).toBe(1);
    const line = stdout.split('\n').find((l) => l.includes('sender default'));
    expect(line).toMatch(
      /^FAIL +sender default +token rejected \(190\): Invalid OAuth access token - Cannot parse access token → .*WA_ACCESS_TOKEN/,
    );
    expect(stdout).toMatch(/1 check\(s\) failed/);
  });

  it('fails the handshake when the server runs with another verify token', async () => {
    const { code, stdout } = await runDoctor({ ...env, WA_VERIFY_TOKEN: 'another-token' }, ['--json']);
    const report = JSON.parse(stdout) as { checks: CheckResult[] };
    expect(code).toBe(1);
    expect(report.checks.find((c) => c.check === 'webhook verification')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('refused the verification handshake with this verify token (HTTP 403)'),
    });
  });
});
