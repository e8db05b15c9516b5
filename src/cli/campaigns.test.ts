import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignReportCsv } from '../app/campaign-report.ts';
import { seedReportCampaign } from '../app/campaign-report-seed.testing.ts';
import { openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-cli-campaigns-'));
const BIN = path.resolve('bin/chorus.mjs');
const dbFile = path.join(dir, 'cli.db');
// No WA_* credentials: the sandbox case, where only a running server can sync templates.
const env = Object.fromEntries(
  Object.entries({ ...process.env, DATABASE_URL: `sqlite:${dbFile}` }).filter(([k]) => !k.startsWith('WA_')),
);

const chorus = async (...args: string[]) => (await run('node', [BIN, ...args], { env })).stdout;
const chorusJson = async <T = Record<string, unknown>>(...args: string[]) =>
  JSON.parse(await chorus(...args, '--json')) as T;
const failure = (...args: string[]) => run('node', [BIN, ...args], { env }).catch((e: unknown) => e);

const CREATE = ['--template', 'welcome', '--param', '{{first_name|there}}', '--tag', 'vip'];

describe('chorus templates and campaigns (real processes)', { timeout: 60_000 }, () => {
  let seededId: number;

  beforeAll(async () => {
    const database = openDatabase({ kind: 'sqlite', path: dbFile });
    await migrateToLatest(database);
    seededId = await seedReportCampaign(database);
    await database.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists the synced templates, and explains that sandbox sync goes through the server', async () => {
    const list = await chorusJson<{ data: { name: string; status: string }[] }>('templates', 'list');
    expect(list.data.map((t) => t.name)).toEqual(['hello_world', 'welcome']);
    expect(await failure('templates', 'sync')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^chorus: sandbox mode: .*--server.*\n$/),
    });
  });

  it('creates from flags and from --file, and dry-runs with the same flags', async () => {
    const created = await chorusJson('campaigns', 'create', '--name', 'Flags', ...CREATE, '--window', '09:00-20:00');
    expect(created).toMatchObject({ status: 'draft', audience_size: 7, template: { name: 'welcome' } });
    const file = path.join(dir, 'campaign.json');
    const body = { name: 'From file', template: { name: 'hello_world' }, audience: { tags: ['vip'] } };
    fs.writeFileSync(file, JSON.stringify({ ...body, scheduled_at: '2099-01-01T09:00:00Z' }));
    const fromFile = await chorusJson('campaigns', 'create', '--file', file, '--name', 'Overridden');
    expect(fromFile).toMatchObject({ name: 'Overridden', status: 'scheduled', template: { name: 'hello_world' } });
    // Three consented vip numbers are suppressed by the seed, one has no consent.
    const dry = await chorusJson('campaigns', 'dry-run', ...CREATE);
    expect(dry).toMatchObject({ audience: 7, eligible: 3, excluded: { suppressed: 3, no_consent: 1 } });
    const list = await chorusJson<{ data: { name: string }[] }>('campaigns', 'list');
    expect(list.data.map((c) => c.name)).toEqual(['Overridden', 'Flags', 'Seeded']);
  });

  it('moves a campaign through its lifecycle and refuses a wrong move with a one-line reason', async () => {
    const { id } = await chorusJson<{ id: string }>('campaigns', 'create', '--name', 'Life', ...CREATE);
    expect(await chorusJson('campaigns', 'start', id)).toMatchObject({ status: 'running' });
    expect(await chorusJson('campaigns', 'pause', id)).toMatchObject({
      status: 'paused',
      status_reason: 'paused from the command line',
    });
    expect(await chorusJson('campaigns', 'cancel', id)).toMatchObject({ status: 'cancelled' });
    const refused = await failure('campaigns', 'resume', id, '--json');
    expect(refused).toMatchObject({ code: 1, stderr: 'chorus: cannot resume a campaign that is cancelled\n' });
    expect(JSON.parse((refused as { stdout: string }).stdout)).toEqual({
      error: { code: 'invalid_state', message: 'cannot resume a campaign that is cancelled' },
    });
    expect(await failure('campaigns', 'status', 'abc')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/number/),
    });
  });

  it('reports as JSON, and as the same CSV as the API', async () => {
    const report = await chorusJson<{ total: number; counts: Record<string, number>; failures: { code: number }[] }>(
      'campaigns',
      'report',
      String(seededId),
    );
    expect(report.total).toBe(7);
    expect(report.counts).toMatchObject({ read: 1, delivered: 1, sent: 1, failed: 3, skipped: 1 });
    expect(report.failures.map((f) => f.code)).toEqual([130429, 131000, 131026]);
    const human = await chorus('campaigns', 'report', String(seededId));
    expect(human).toMatch(/1 × 131026: Undeliverable/);
    const database = openDatabase({ kind: 'sqlite', path: dbFile });
    let expected = '';
    for await (const chunk of campaignReportCsv(database, seededId)) expected += chunk;
    await database.close();
    expect(await chorus('campaigns', 'report', String(seededId), '--csv')).toBe(expected);
  });

  it('resends only the retryable failures as a draft child', async () => {
    const result = await chorusJson<{ campaign: { id: string; audience_size: number; status: string } }>(
      'campaigns',
      'resend-failed',
      String(seededId),
    );
    expect(result.campaign).toMatchObject({ status: 'draft', audience_size: 2 });
    expect(await failure('campaigns', 'resend-failed', String(seededId))).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/already has a resend campaign/),
    });
  });

  it('status --watch prints a line a second off a terminal and stops once the campaign is cancelled', async () => {
    const watcher = spawn('node', [BIN, 'campaigns', 'status', String(seededId), '--watch', '--interval', '200'], {
      env,
    });
    let out = '';
    watcher.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => watcher.on('exit', resolve));
    for (let i = 0; i < 100 && !out.includes('running'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toMatch(/ running 7\/7 \(100%\) [\d.]+ msg\/s ETA 0s\n/);
    await chorus('campaigns', 'cancel', String(seededId));
    expect(await exited).toBe(0);
    expect(out.trim().split('\n').at(-1)).toMatch(/ cancelled 7\/7 \(100%\)/);
  });
});
