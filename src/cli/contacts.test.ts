import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseTarget } from '../config.ts';
import { messageStatusesOf, seedPendingCampaign } from '../store/campaign-fixtures.testing.ts';
import { openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { createPostgresDatabase, dropPostgresDatabase, TEST_BACKENDS } from '../store/testing.ts';

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

describe.each(TEST_BACKENDS)('chorus contacts opt-out on %s (a real process)', (backend) => {
  const [ana, ben] = ['+4915112345001', '+4915112345002'];

  it('skips the number’s pending messages at once', async () => {
    const target: DatabaseTarget =
      backend === 'sqlite' ? { kind: 'sqlite', path: path.join(dir, 'opt-out.db') } : await createPostgresDatabase();
    const database = openDatabase(target);
    try {
      await migrateToLatest(database);
      const campaign = await seedPendingCampaign(database.db, Date.now(), { status: 'running', phones: [ana, ben] });
      const url = target.kind === 'sqlite' ? `sqlite:${target.path}` : target.url;
      const { stdout } = await run('node', [BIN, 'contacts', 'opt-out', ana, '--json'], {
        env: { ...process.env, DATABASE_URL: url },
      });
      expect(JSON.parse(stdout)).toMatchObject({ phone: ana, suppressed: 'opted_out' });
      expect(await messageStatusesOf(database.db, ana)).toEqual([
        [campaign, 'skipped', 'suppressed: opted out via cli'],
      ]);
      expect(await messageStatusesOf(database.db, ben)).toEqual([[campaign, 'pending', null]]);
    } finally {
      await database.close();
      if (target.kind === 'postgres') await dropPostgresDatabase(target.url);
    }
  });
});

describe('chorus contacts export and erase, chorus retention run (a real process)', () => {
  const env = { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'rights.db')}` };
  const phone = '+4915112345999';
  const chorus = async (...args: string[]) => JSON.parse((await run('node', [BIN, ...args, '--json'], { env })).stdout);

  it('exports a person, erases them, and then refuses to import the number again', async () => {
    const csv = path.join(dir, 'rights.csv');
    fs.writeFileSync(csv, `phone,first_name,opted_in_at\n${phone},Vera,2026-01-05T10:00:00Z\n`);
    await chorus('contacts', 'import', csv);
    expect(await chorus('contacts', 'export', phone)).toMatchObject({
      phone,
      contact: { first_name: 'Vera' },
      consent: [{ action: 'grant', purpose: 'marketing' }],
      messages: [],
    });
    const out = path.join(dir, 'vera.json');
    expect(await chorus('contacts', 'export', phone, '--out', out)).toMatchObject({ file: out });
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(await chorus('contacts', 'erase', phone)).toMatchObject({
      phone,
      erased: true,
      erasure: { requested_by: expect.stringMatching(/^cli/) },
      removed: { contact: true, consent_entries: 1 },
    });
    expect(await chorus('contacts', 'import', csv)).toMatchObject({
      imported: 0,
      invalid: 1,
      errors: [{ row: 2, reason: expect.stringContaining('erased') }],
    });
    expect(await chorus('contacts', 'export', phone)).toMatchObject({
      contact: null,
      erasure: { requested_by: expect.any(String) },
    });
  }, 90_000);

  it('runs retention now, and refuses a bad number of days', async () => {
    expect(await chorus('retention', 'run', '--payload-days', '30')).toMatchObject({ status_event_payloads: 0 });
    const failure = await run('node', [BIN, 'retention', 'run', '--body-days', '0'], { env }).catch((e: unknown) => e);
    expect(failure).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^chorus: --body-days must be a whole number/),
    });
  }, 30_000);
});
