import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignInputSchema } from '../app/campaign-input.ts';
import { changeCampaignStatus, createCampaign, requireCampaign } from '../app/campaigns.ts';
import { importContacts } from '../app/import-contacts.ts';
import { welcome } from '../domain/template-fixtures.testing.ts';
import { type Database, openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { upsertSender } from '../store/senders-repo.ts';
import { upsertTemplates } from '../store/templates-repo.ts';
import { pagesFromWorker } from './materialise-in-worker.ts';
import { campaignPages, type MaterialisedPage } from './materialise-pages.ts';
import { MATERIALISE_BATCH, materialiseCampaign } from './materialiser.ts';

const NOW = 1_800_000_000_000;
const clock = () => NOW;
const CONTACTS = MATERIALISE_BATCH * 2 + 321;
// This small audience would stay on the main thread: the tests send it to the worker.
const inWorker = { workerMinAudience: 0 };

// A worker thread reads the audience of a SQLite file on its own connection, so these tests use
// a file; the materialiser suite covers the in-memory and PostgreSQL paths.
describe('materialising on a worker thread (SQLite file)', () => {
  let dir = '';
  let database: Database;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-materialise-'));
    database = openDatabase({ kind: 'sqlite', path: path.join(dir, 'chorus.db') });
    await migrateToLatest(database);
    const sender = { id: 'default', phoneNumberId: 'p1', businessAccountId: 'w1', ratePerSec: 80, dailyLimit: 1e6 };
    await upsertSender(database.db, sender, NOW);
    await upsertTemplates(database.db, 'w1', [welcome], NOW);
    // Every third contact has no first name: its message renders the fallback.
    const rows = Array.from({ length: CONTACTS }, (_, i) => {
      const phone = `+49151${String(40_000_000 + i).padStart(8, '0')}`;
      return `${phone},${i % 3 === 0 ? '' : `Ana${i}`},${i % 10 === 0 ? '' : '2026-01-05T10:00:00Z'}`;
    });
    const csv = `phone,first_name,opted_in_at\n${rows.join('\n')}\n`;
    await importContacts(database, Readable.from([csv]), { fileName: 'w.csv', tags: ['w'] }, clock);
  }, 60_000);
  afterAll(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function startedCampaign(name: string): Promise<number> {
    const input = campaignInputSchema.parse({
      name,
      template: { name: 'welcome', language: 'en_US' },
      params: { body: ['{{first_name|there}}'] },
      audience: { tags: ['w'] },
    });
    const id = Number((await createCampaign(database, input, NOW)).id);
    await changeCampaignStatus(database, id, 'start', NOW);
    return id;
  }

  const messagesOf = (campaignId: number) =>
    database.db
      .selectFrom('messages')
      .select(['contact_id', 'phone', 'status', 'status_reason', 'rendered'])
      .where('campaign_id', '=', campaignId)
      .orderBy('contact_id')
      .execute();

  it('a worker thread reads and renders the same pages as the main thread, on the caller’s clock', async () => {
    const campaign = await requireCampaign(database, await startedCampaign('pages'));
    const collect = async (pages: AsyncIterable<MaterialisedPage>) => {
      const all: MaterialisedPage[] = [];
      for await (const page of pages) all.push(page);
      return all;
    };
    const inline = await collect(campaignPages(database, campaign, welcome, clock, 0));
    const started = Date.now();
    const threaded = await collect(pagesFromWorker(database.sqlite?.name ?? '', campaign, welcome, clock, 0));
    const elapsed = Date.now() - started;
    expect(threaded.map((p) => [p.throughId, p.isLast])).toEqual(inline.map((p) => [p.throughId, p.isLast]));
    const withoutTimes = (pages: MaterialisedPage[]) =>
      pages.flatMap((p) => p.messages.map(({ nextAttemptAt, ...rest }) => rest));
    expect(withoutTimes(threaded)).toEqual(withoutTimes(inline));
    expect(withoutTimes(inline)).toHaveLength(CONTACTS);
    for (const page of threaded) {
      expect(page.now).toBeGreaterThanOrEqual(NOW);
      expect(page.now).toBeLessThanOrEqual(NOW + elapsed);
      expect(page.messages.every((m) => m.nextAttemptAt === page.now)).toBe(true);
    }
  });

  it('writes the same rows as the main thread, from the start or from a checkpoint', async () => {
    const inline = await startedCampaign('inline');
    const fromStart = await startedCampaign('worker from the start');
    const resumed = await startedCampaign('worker from a checkpoint');
    await materialiseCampaign(database, await requireCampaign(database, inline), welcome, clock);
    await materialiseCampaign(database, await requireCampaign(database, fromStart), welcome, clock, inWorker);
    // One page inline, then a pause; resumed, the worker starts after the checkpoint.
    const running = await requireCampaign(database, resumed);
    await changeCampaignStatus(database, resumed, 'pause', NOW);
    await materialiseCampaign(database, running, welcome, clock);
    await changeCampaignStatus(database, resumed, 'resume', NOW);
    await materialiseCampaign(database, await requireCampaign(database, resumed), welcome, clock, inWorker);
    const expected = await messagesOf(inline);
    expect(expected).toHaveLength(CONTACTS);
    // A tenth have no consent: skipped with the reason, on every path alike.
    expect(expected.filter((m) => m.status === 'skipped')).toHaveLength(Math.ceil(CONTACTS / 10));
    const fallbacks = Array.from({ length: CONTACTS }, (_, i) => i).filter((i) => i % 3 === 0 && i % 10 !== 0);
    expect(expected.filter((m) => m.rendered?.includes('"text":"there"'))).toHaveLength(fallbacks.length);
    expect(await messagesOf(fromStart)).toEqual(expected);
    expect(await messagesOf(resumed)).toEqual(expected);
    for (const id of [fromStart, resumed]) {
      const campaign = await requireCampaign(database, id);
      expect(campaign.isMaterialized).toBe(true);
      expect(campaign.materializedThrough).toBe(expected.at(-1)?.contact_id);
    }
  });

  it('stops the worker at a pause, keeps the checkpoint, and resumes without a repeat', async () => {
    const id = await startedCampaign('paused');
    const running = await requireCampaign(database, id);
    await changeCampaignStatus(database, id, 'pause', NOW);
    await materialiseCampaign(database, running, welcome, clock, inWorker);
    const paused = await requireCampaign(database, id);
    expect(await messagesOf(id)).toHaveLength(MATERIALISE_BATCH);
    expect(paused.isMaterialized).toBe(false);
    await changeCampaignStatus(database, id, 'resume', NOW);
    await materialiseCampaign(database, await requireCampaign(database, id), welcome, clock, inWorker);
    const rows = await messagesOf(id);
    expect(rows).toHaveLength(CONTACTS);
    expect(new Set(rows.map((r) => r.contact_id)).size).toBe(CONTACTS);
    expect((await requireCampaign(database, id)).isMaterialized).toBe(true);
  });
});
