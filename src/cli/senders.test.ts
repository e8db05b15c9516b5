import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-cli-senders-'));
const BIN = path.resolve('bin/chorus.mjs');

describe('chorus senders (a real process)', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'cli.db')}` };
  const chorus = async (...args: string[]) =>
    JSON.parse((await run('node', [BIN, 'senders', ...args, '--json'], { env })).stdout);

  it('adds a sender with its token read from a file, lists it without credentials, and removes it', async () => {
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, 'EAAG-from-a-file\n', { mode: 0o600 });
    const added = await chorus(
      'add',
      '--name',
      'Brand B',
      '--phone-number-id',
      '100000000000001',
      '--business-account-id',
      '200000000000001',
      '--access-token',
      `@${tokenFile}`,
      '--mps',
      '120',
    );
    expect(added).toMatchObject({ id: 'brand-b', mps: 120, access_token: 'set', app_secret: null });
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const listed = await chorus('list');
    expect(JSON.stringify(listed)).not.toContain('EAAG');
    expect(listed.data.map((s: { id: string }) => s.id)).toEqual(['brand-b']);
    expect(await chorus('remove', 'brand-b')).toEqual({ removed: 'brand-b' });
    expect((await chorus('list')).data).toEqual([]);
  });

  it('exits non-zero with a one-line reason for a bad flag', async () => {
    const failure = await run(
      'node',
      [
        BIN,
        'senders',
        'add',
        '--name',
        'X',
        '--phone-number-id',
        'abc',
        '--business-account-id',
        '2',
        '--access-token',
        't',
      ],
      { env },
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringMatching(/^chorus: phone_number_id: .*\n$/) });
  });
});
