import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoragePause } from '../app/storage-pause.ts';
import { createLogger } from '../logger.ts';
import { seedPendingCampaign } from '../store/campaign-fixtures.testing.ts';
import { type Database, openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import type { SendResult } from '../store/send-results-repo.ts';
import { type ChorusMetrics, createChorusMetrics } from './chorus-metrics.ts';
import { sampleValue } from './exposition.testing.ts';

const NOW = 1_800_000_000_000;

let database: Database | undefined;
let metrics: ChorusMetrics | undefined;
let dir: string | undefined;
afterEach(async () => {
  await database?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  metrics = database = dir = undefined;
});

async function memoryMetrics(clock: () => number = () => NOW, cacheMs = 5_000) {
  database = openDatabase({ kind: 'sqlite', path: ':memory:' });
  await migrateToLatest(database);
  metrics = createChorusMetrics({
    database,
    clock,
    logger: createLogger('silent'),
    databaseCacheMs: cacheMs,
  });
  return { database, metrics };
}

const attempt = { attempt: 1, started_at: NOW - 120, finished_at: NOW, outcome: 'error' as const };

describe('send counters', () => {
  it('count outcomes, errors by code and class, retries by class, and the answer time', async () => {
    const { metrics } = await memoryMetrics();
    const base = { messageId: 1, campaignId: 1 };
    const accepted: SendResult = {
      ...base,
      kind: 'accepted',
      senderId: 's1',
      phone: '+4915100000001',
      wamid: 'wamid.1',
      at: NOW,
      attempt: { ...attempt, outcome: 'accepted', wamid: 'wamid.1' },
    };
    const failed: SendResult = {
      ...base,
      kind: 'failed',
      at: NOW,
      reason: 'undeliverable',
      error: { code: 131026, title: 'Message undeliverable', details: null },
      attempt: { ...attempt, error_class: 'recipient_permanent', error_code: 131026 },
    };
    const retry: SendResult = {
      ...base,
      kind: 'retry',
      nextAttemptAt: NOW + 1_000,
      reason: 'throughput',
      attempt: { ...attempt, error_class: 'throughput', error_code: 130429 },
    };
    metrics.sends.sendDecided('s1', accepted);
    metrics.sends.sendDecided('s1', failed);
    metrics.sends.sendDecided('s1', retry);
    metrics.sends.sendDecided('s1', retry);
    const text = await metrics.render();
    expect(sampleValue(text, 'chorus_sends_total', { sender: 's1', outcome: 'accepted' })).toBe(1);
    expect(sampleValue(text, 'chorus_sends_total', { sender: 's1', outcome: 'failed' })).toBe(1);
    expect(sampleValue(text, 'chorus_sends_total', { sender: 's1', outcome: 'retry' })).toBe(2);
    expect(
      sampleValue(text, 'chorus_send_errors_total', {
        sender: 's1',
        code: '131026',
        error_class: 'recipient_permanent',
      }),
    ).toBe(1);
    expect(sampleValue(text, 'chorus_send_errors_total', { code: '130429', error_class: 'throughput' })).toBe(2);
    expect(sampleValue(text, 'chorus_send_retries_total', { sender: 's1', error_class: 'throughput' })).toBe(2);
    expect(sampleValue(text, 'chorus_send_retries_total', { error_class: 'recipient_permanent' })).toBeUndefined();
    expect(sampleValue(text, 'chorus_send_duration_seconds_bucket', { sender: 's1', le: '0.1' })).toBe(0);
    expect(sampleValue(text, 'chorus_send_duration_seconds_bucket', { sender: 's1', le: '0.25' })).toBe(4);
  });
});

describe('webhook counters', () => {
  it('count events by kind and status, changes and failures by code, and time the lag since the event and the receipt', async () => {
    const { metrics } = await memoryMetrics();
    const status = { kind: 'status', status: 'delivered' } as const;
    metrics.webhooks.received([status, status, { kind: 'message' }] as never);
    metrics.webhooks.applied({
      appliedAt: NOW,
      events: [
        { receivedAt: NOW - 200, occurredAt: NOW - 3_000 },
        { receivedAt: NOW - 200, occurredAt: null },
      ],
      changed: [
        {
          messageId: 1,
          campaignId: 1,
          phone: '+4915100000001',
          wamid: 'wamid.1',
          status: 'delivered',
          errorCode: null,
        },
        { messageId: 2, campaignId: 1, phone: '+4915100000002', wamid: 'wamid.2', status: 'failed', errorCode: 131049 },
      ],
    });
    metrics.webhooks.unrouted(3);
    const text = await metrics.render();
    expect(sampleValue(text, 'chorus_webhook_events_total', { kind: 'status', status: 'delivered' })).toBe(2);
    expect(sampleValue(text, 'chorus_webhook_events_total', { kind: 'message' })).toBe(1);
    expect(sampleValue(text, 'chorus_webhook_status_changes_total', { status: 'failed' })).toBe(1);
    expect(sampleValue(text, 'chorus_webhook_failures_total', { code: '131049' })).toBe(1);
    expect(sampleValue(text, 'chorus_webhook_lag_seconds_count', { since: 'receipt' })).toBe(2);
    expect(sampleValue(text, 'chorus_webhook_lag_seconds_bucket', { since: 'receipt', le: '0.25' })).toBe(2);
    expect(sampleValue(text, 'chorus_webhook_lag_seconds_count', { since: 'event' })).toBe(1);
    expect(sampleValue(text, 'chorus_webhook_lag_seconds_bucket', { since: 'event', le: '2.5' })).toBe(0);
    expect(sampleValue(text, 'chorus_webhook_lag_seconds_bucket', { since: 'event', le: '5' })).toBe(1);
    expect(sampleValue(text, 'chorus_webhook_unrouted_events_total')).toBe(3);
  });
});

describe('storage paused gauge', () => {
  it('counts the loops of each component paused for the store, and says each pause once', async () => {
    const { metrics } = await memoryMetrics();
    const lines: string[] = [];
    const log = { warn: (_: unknown, message: string) => lines.push(message), info: () => {} };
    const paused = async (component: string) =>
      sampleValue(await metrics.render(), 'chorus_storage_paused', { component });
    expect(await paused('dispatch')).toBe(0);
    expect(await paused('webhook_drain')).toBe(0);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const first = new StoragePause(log, 'dispatch', () => NOW, metrics.storage);
    const second = new StoragePause(log, 'dispatch', () => NOW, metrics.storage);
    first.noteFailure(refused);
    first.noteFailure(refused);
    second.noteFailure(refused);
    expect(await paused('dispatch')).toBe(2);
    expect(lines).toEqual([
      'dispatch paused: the database cannot be reached; it resumes by itself',
      'dispatch paused: the database cannot be reached; it resumes by itself',
    ]);
    // Work begun before the pause was noted says nothing of the store since.
    first.noteSuccess(NOW - 5);
    first.noteSuccess(NOW);
    expect(await paused('dispatch')).toBe(2);
    first.noteSuccess(NOW + 1);
    first.noteSuccess();
    expect(await paused('dispatch')).toBe(1);
    second.noteSuccess();
    expect(await paused('dispatch')).toBe(0);
    expect(first.noteFailure(new Error('a bug, not the store'))).toBe(false);
    expect(await paused('dispatch')).toBe(0);
  });
});

describe('database gauges', () => {
  it('read the database at most once per cache period', async () => {
    let now = NOW;
    const { database, metrics } = await memoryMetrics(() => now, 5_000);
    const id = await seedPendingCampaign(database.db, NOW, { status: 'running', phones: ['+4915100000001'] });
    const pending = (text: string) =>
      sampleValue(text, 'chorus_campaign_messages', { campaign: String(id), status: 'pending' });
    expect(pending(await metrics.render())).toBe(1);
    await database.db.updateTable('messages').set({ status: 'accepted' }).execute();
    now += 4_999;
    expect(pending(await metrics.render())).toBe(1);
    now += 1;
    expect(pending(await metrics.render())).toBeUndefined();
  });

  it('say the database is down instead of failing the scrape', async () => {
    const { metrics } = await memoryMetrics();
    await (database as Database).close();
    const text = await metrics.render();
    expect(sampleValue(text, 'chorus_database_up')).toBe(0);
    expect(sampleValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    database = undefined;
  });

  it('count a SQLite file’s messages on a connection of their own (a background thread)', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-metrics-'));
    const file = path.join(dir, 'chorus.db');
    database = openDatabase({ kind: 'sqlite', path: file }, { readsAside: true });
    await migrateToLatest(database);
    const id = await seedPendingCampaign(database.db, NOW, { status: 'running', phones: ['+4915100000001'] });
    metrics = createChorusMetrics({
      database,
      clock: () => NOW,
      logger: createLogger('silent'),
      databaseCacheMs: 0,
    });
    const pending = async () =>
      sampleValue(await metrics!.render(), 'chorus_campaign_messages', { campaign: String(id), status: 'pending' });
    expect(await pending()).toBe(1);
    // A write not yet committed on the server's connection: the background reader must not see it.
    const sqlite = database.sqlite!;
    sqlite.exec('BEGIN');
    sqlite.prepare("update messages set status = 'accepted'").run();
    expect(await pending()).toBe(1);
    sqlite.exec('COMMIT');
    expect(await pending()).toBeUndefined();
  });
});
