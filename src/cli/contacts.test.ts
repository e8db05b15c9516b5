import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-cli-contacts-'));
const BIN = path.resolve('bin/chorus.mjs');

describe('chorus contacts (a real process)', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'cli.db')}` };

  it('imports a CSV and prints the report as JSON', async () => {
    const csv = path.join(dir, 'contacts.csv');
    fs.writeFileSync(csv, 'phone,first_name\n+4915112345678,Ana\n0151 22222222,Ben\nnope,Bad\n+4915112345678,Again\n');
    const { stdout } = await run('node', [BIN, 'contacts', 'import', csv, '--default-country', 'DE', '--json'], {
      env,
    });
    expect(JSON.parse(stdout)).toEqual({
      imported: 2,
      updated: 0,
      invalid: 1,
      duplicates: 1,
      errors: [{ row: 4, reason: expect.stringContaining('nope') }],
    });
    const list = await run('node', [BIN, 'contacts', 'list', '--json'], { env });
    expect((JSON.parse(list.stdout) as { data: { phone: string }[] }).data.map((c) => c.phone)).toEqual([
      '+4915112345678',
      '+4915122222222',
    ]);
  });

  it('exits non-zero with a one-line reason', async () => {
    const failure = await run('node', [BIN, 'contacts', 'get', '12345'], { env }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringMatching(/^chorus: .*E\.164.*\n$/) });
  });
});
