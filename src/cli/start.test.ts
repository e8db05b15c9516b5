import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/chorus.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-cli-start-'));

/** Runs `chorus start` with only these variables; answers how it exited, or kills it after `timeoutMs`. */
function start(env: Record<string, string>, timeoutMs = 15_000): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', CHORUS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

const LIVE = {
  WA_PHONE_NUMBER_ID: '100000000000001',
  WA_BUSINESS_ACCOUNT_ID: '200000000000001',
  WA_ACCESS_TOKEN: 'token',
  // Never reached: the refusals come before anything is opened or sent.
  WA_GRAPH_URL: 'http://127.0.0.1:9',
};

describe('chorus start refuses unsafe live settings (real process)', { timeout: 60_000 }, () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits non-zero with a one-line reason when live mode has no WA_APP_SECRET', async () => {
    const database = path.join(dir, 'no-secret.db');
    const { code, stderr } = await start({ ...LIVE, DATABASE_URL: `sqlite:${database}` });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^chorus: WA_APP_SECRET is required in live mode: [^\n]+\n$/);
    expect(fs.existsSync(database)).toBe(false);
  });

  it("exits non-zero with a one-line reason for WA_MPS=0 against Meta's Graph API", async () => {
    const { WA_GRAPH_URL: _url, ...meta } = LIVE;
    const env = { ...meta, WA_APP_SECRET: 'secret', WA_MPS: '0', DATABASE_URL: `sqlite:${path.join(dir, 'mps.db')}` };
    const { code, stderr } = await start(env);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^chorus: WA_MPS=0 \(no limit\) is allowed only [^\n]+\n$/);
  });
});
