import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { campaignInputSchema } from '../app/campaign-input.ts';
import { changeCampaignStatus, createCampaign, requireCampaign } from '../app/campaigns.ts';
import { importContacts } from '../app/import-contacts.ts';
import type { MessageProvider, OutboundMessage, SendErrorClass, SendOutcome } from '../domain/outbound-message.ts';
import { welcome } from '../domain/template-fixtures.testing.ts';
import { createLogger } from '../logger.ts';
import { recordErasure } from '../store/erased-numbers-repo.ts';
import { claimDueMessages, countMessagesByStatus } from '../store/outbox-repo.ts';
import { getSender, type Sender, upsertSender } from '../store/senders-repo.ts';
import { recordStatusEvents } from '../store/status-events-repo.ts';
import { upsertTemplates } from '../store/templates-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { DEFAULT_DISPATCHER_OPTIONS, Dispatcher } from './dispatcher.ts';
import { materialiseCampaign } from './materialiser.ts';
import { SenderLimits, type SendTicket } from './sender-limits.ts';

// The send loop against a fake provider on a real store. Its loop sleeps on real timers, so these
// tests run on the wall clock and poll with deadlines; limits and windows are kept short.

/** A provider that accepts everything after `delayMs`, and remembers every request. */
class FakeProvider implements MessageProvider {
  readonly sent: { callbackData: string; to: string; at: number }[] = [];
  constructor(private readonly delayMs = 0) {}
  async send(message: OutboundMessage): Promise<SendOutcome> {
    this.sent.push({ callbackData: message.callbackData, to: message.to, at: Date.now() });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return { ok: true, wamid: `wamid.${message.callbackData}.${this.sent.length}`, messageStatus: 'accepted' };
  }
  sentAfter(at: number): number {
    return this.sent.filter((s) => s.at > at).length;
  }
}

/** A provider that answers the n-th send of each message with `answers[n]` (the last one over and over). */
class ScriptedProvider implements MessageProvider {
  readonly sent: string[] = [];
  constructor(private readonly answers: SendOutcome[]) {}
  async send(message: OutboundMessage): Promise<SendOutcome> {
    this.sent.push(message.callbackData);
    const n = this.sent.filter((id) => id === message.callbackData).length;
    return this.answers[Math.min(n, this.answers.length) - 1] as SendOutcome;
  }
}

const failure = (errorClass: SendErrorClass, code: number | null, httpStatus: number | null): SendOutcome => ({
  ok: false,
  error: { errorClass, code, subcode: null, title: `error ${code}`, details: null, fbtraceId: null, httpStatus },
});

/**
 * Limits that grant a batch its slots, but then miss each one and cannot take a new one: a shared
 * limiter whose database went away while the messages waited for their slots.
 */
class SlotsLostLimits extends SenderLimits {
  static failedTakes = 0;
  // Slots granted whose messages have not yet asked for a new one.
  private granted = 0;
  override async takeTickets(nowMs: number, wanted: number): Promise<SendTicket[]> {
    if (this.granted === 0) {
      this.granted = wanted;
      return super.takeTickets(nowMs, wanted);
    }
    this.granted--;
    SlotsLostLimits.failedTakes++;
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  }
  override isTicketLate(): boolean {
    return true;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let phoneSeq = 0;

describe.each(TEST_BACKENDS)('dispatcher on %s', (backend) => {
  let test: TestDatabase;
  let dispatcher: Dispatcher | undefined;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    await upsertSender(
      test.database.db,
      { id: 'default', phoneNumberId: 'p1', businessAccountId: 'w1', ratePerSec: 0, dailyLimit: 1_000_000 },
      Date.now(),
    );
    await upsertTemplates(test.database.db, 'w1', [welcome], Date.now());
  });
  afterEach(async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
  });
  afterAll(async () => test.drop());

  /** Imports `count` consented contacts under a fresh tag, creates, starts and materialises a campaign. */
  async function runningCampaign(count: number): Promise<number> {
    const tag = `t${++phoneSeq}`;
    const lines = Array.from({ length: count }, () => `+49151${String(20_000_000 + ++phoneSeq).padStart(8, '0')},Ana`);
    const csv = `phone,first_name,opted_in_at\n${lines.map((l) => `${l},2026-01-05T10:00:00Z`).join('\n')}\n`;
    await importContacts(test.database, Readable.from([csv]), { fileName: 'c.csv', tags: [tag] }, Date.now);
    const input = campaignInputSchema.parse({
      name: tag,
      template: { name: 'welcome', language: 'en_US' },
      params: { body: ['{{first_name|there}}'] },
      audience: { tags: [tag] },
    });
    const id = Number((await createCampaign(test.database, input, Date.now())).id);
    await changeCampaignStatus(test.database, id, 'start', Date.now());
    await materialiseCampaign(test.database, await requireCampaign(test.database, id), welcome, Date.now);
    return id;
  }

  async function startDispatcher(
    provider: MessageProvider,
    ratePerSec: number,
    reconcileMs = 60_000,
    pairGapMs?: number,
    isShared = false,
    Limits: typeof SenderLimits = SenderLimits,
  ) {
    const sender = (await getSender(test.database.db, 'default')) as Sender;
    dispatcher = new Dispatcher({
      database: test.database,
      sender,
      provider,
      limits: new Limits(
        test.database,
        { senderId: 'default', phoneNumberId: 'p1', ratePerSec, dailyRecipientLimit: 1e6, pairGapMs, isShared },
        Date.now(),
      ),
      logger: createLogger('silent'),
      clock: Date.now,
      random: () => 0.5,
      options: { ...DEFAULT_DISPATCHER_OPTIONS, idleMs: 5, leaseMs: 1_000, reconcileMs },
      onEffect: async () => undefined,
      onRecorded: async () => undefined,
    });
    dispatcher.start();
    return dispatcher;
  }

  /** The campaign's first message: the one a race with the materialiser is staged on. */
  const firstMessageOf = (id: number) =>
    test.database.db
      .selectFrom('messages')
      .select(['id', 'phone'])
      .where('campaign_id', '=', id)
      .orderBy('id')
      .executeTakeFirstOrThrow();
  const statusOf = async (id: number) => (await requireCampaign(test.database, id)).status;
  const counts = (id: number) => countMessagesByStatus(test.database.db, id);

  it('on stop, lets in-flight sends finish and be recorded, and gives the unsent rows back at once', async () => {
    const id = await runningCampaign(60);
    const provider = new FakeProvider(50);
    // On PostgreSQL the limiter is the one several workers share: messages wait for their slots.
    const running = await startDispatcher(provider, 20, 60_000, undefined, backend === 'postgres');
    await until('a few sends', () => provider.sent.length >= 5);
    const stoppedAt = Date.now();
    await running.stop();
    dispatcher = undefined;
    expect(Date.now() - stoppedAt).toBeLessThan(1_000);
    const sent = provider.sent.length;
    expect(await counts(id)).toEqual({ accepted: sent, pending: 60 - sent });
    // Another worker may take the rest now, not after the lease.
    const taken = await claimDueMessages(test.database.db, test.database.dialect, {
      campaignId: id,
      limit: 100,
      now: Date.now(),
      leaseUntil: Date.now() + 1_000,
      owner: 'another-worker',
    });
    expect(taken).toHaveLength(60 - sent);
    expect(taken.every((m) => m.attempts === 1)).toBe(true);
  });

  it('gives back a message whose slot cannot be taken while the database is away, and keeps running', async () => {
    const id = await runningCampaign(3);
    const provider = new FakeProvider();
    SlotsLostLimits.failedTakes = 0;
    // Before the fix, the failed take rejected a send nobody awaited and ended the process.
    await startDispatcher(provider, 0, 60_000, 1, false, SlotsLostLimits);
    // Given back at once, so claimed again long before their lease ends: the loop goes round.
    await until('the messages given back and claimed again', () => SlotsLostLimits.failedTakes >= 6);
    await dispatcher?.stop();
    dispatcher = undefined;
    expect(await counts(id)).toEqual({ pending: 3 });
    expect(provider.sent).toEqual([]);
    // Not left running for the tests after this one.
    await changeCampaignStatus(test.database, id, 'cancel', Date.now());
  });

  it('sends every message exactly once and completes the campaign', async () => {
    const id = await runningCampaign(120);
    const provider = new FakeProvider();
    await startDispatcher(provider, 0);
    await until('completion', async () => (await statusOf(id)) === 'completed');
    expect(provider.sent).toHaveLength(120);
    expect(new Set(provider.sent.map((s) => s.callbackData)).size).toBe(120);
    expect(await counts(id)).toEqual({ accepted: 120 });
  });

  it('never sends to a number suppressed after its message was written (a STOP racing the materialiser)', async () => {
    const id = await runningCampaign(5);
    const first = await firstMessageOf(id);
    // Only the suppression list knows: the STOP landed while the row was on its way to the table.
    await test.database.db
      .insertInto('suppressions')
      .values({ phone: first.phone, reason: 'opted_out', source: 'webhook:inbound', created_at: Date.now() })
      .execute();
    const provider = new FakeProvider();
    await startDispatcher(provider, 0);
    await until('completion', async () => (await statusOf(id)) === 'completed');
    expect(provider.sent.map((s) => s.to)).not.toContain(first.phone);
    expect(await counts(id)).toEqual({ accepted: 4, skipped: 1 });
    const skipped = await test.database.db
      .selectFrom('messages')
      .select('status_reason')
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(skipped.status_reason).toBe('suppressed: opted_out');
  });

  it('never sends to an erased number whose message survived the erasure, and scrubs that message', async () => {
    const id = await runningCampaign(4);
    const first = await firstMessageOf(id);
    // Only the erased list knows: the erasure committed while the row was on its way to the table.
    await recordErasure(test.database.db, { phone: first.phone, requestedBy: 'test', now: Date.now() });
    const provider = new FakeProvider();
    await startDispatcher(provider, 0);
    await until('completion', async () => (await statusOf(id)) === 'completed');
    expect(provider.sent.map((s) => s.to)).not.toContain(first.phone);
    expect(await counts(id)).toEqual({ accepted: 3, skipped: 1 });
    const skipped = await test.database.db
      .selectFrom('messages')
      .select(['status_reason', 'phone', 'rendered'])
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(skipped).toEqual({
      status_reason: 'suppressed: erased',
      phone: expect.stringMatching(/^erased:DE:[0-9a-f]{12}$/),
      rendered: null,
    });
  });

  it("holds messages outside the recipients' send window: they wait, they are not failed", async () => {
    const tag = `w${++phoneSeq}`;
    const csv = `phone,first_name,opted_in_at\n+49151${String(30_000_000 + ++phoneSeq)},Ana,2026-01-05T10:00:00Z\n`;
    await importContacts(test.database, Readable.from([csv]), { fileName: 'w.csv', tags: [tag] }, Date.now);
    // A one-hour window six hours from now in Berlin, where +49 numbers live: closed now.
    const berlinHour = Number(
      new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Berlin' }).format(
        Date.now(),
      ),
    );
    const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
    const input = campaignInputSchema.parse({
      name: tag,
      template: { name: 'welcome', language: 'en_US' },
      params: { body: ['{{first_name|there}}'] },
      audience: { tags: [tag] },
      send_window: { start: hh(berlinHour + 6), end: hh(berlinHour + 7) },
    });
    const id = Number((await createCampaign(test.database, input, Date.now())).id);
    await changeCampaignStatus(test.database, id, 'start', Date.now());
    await materialiseCampaign(test.database, await requireCampaign(test.database, id), welcome, Date.now);
    const provider = new FakeProvider();
    await startDispatcher(provider, 0);
    await sleep(800);
    expect(provider.sent).toHaveLength(0);
    expect(await counts(id)).toEqual({ pending: 1 });
    const row = await test.database.db
      .selectFrom('messages')
      .selectAll()
      .where('campaign_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.time_zone).toBe('Europe/Berlin');
    expect(row.status_reason).toBe('waiting for the send window');
    expect(row.next_attempt_at).toBeGreaterThan(Date.now() + 4 * 3_600_000);
    // Out of the way of the tests after this one, which expect only their own campaigns running.
    await changeCampaignStatus(test.database, id, 'cancel', Date.now());
  });

  it('pause stops sending within a second, and resume finishes without re-sending anyone', async () => {
    const id = await runningCampaign(150);
    const provider = new FakeProvider(5);
    await startDispatcher(provider, 100);
    await until('some sends', () => provider.sent.length >= 20);
    await changeCampaignStatus(test.database, id, 'pause', Date.now());
    const pausedAt = Date.now();
    await sleep(1_500);
    expect(provider.sentAfter(pausedAt + 1_000)).toBe(0);
    const before = provider.sent.length;
    expect(before).toBeLessThan(150);
    await changeCampaignStatus(test.database, id, 'resume', Date.now());
    await until('completion', async () => (await statusOf(id)) === 'completed');
    expect(provider.sent).toHaveLength(150);
    expect(new Set(provider.sent.map((s) => s.callbackData)).size).toBe(150);
  });

  it('cancel stops sending within a second and settles what was never sent as skipped', async () => {
    const id = await runningCampaign(150);
    const provider = new FakeProvider(5);
    await startDispatcher(provider, 100);
    await until('some sends', () => provider.sent.length >= 20);
    await changeCampaignStatus(test.database, id, 'cancel', Date.now());
    const cancelledAt = Date.now();
    await sleep(1_500);
    expect(provider.sentAfter(cancelledAt + 1_000)).toBe(0);
    const settled = await counts(id);
    expect(settled.pending).toBeUndefined();
    expect(settled.sending).toBeUndefined();
    expect((settled.accepted ?? 0) + (settled.skipped ?? 0)).toBe(150);
    expect(settled.accepted).toBe(provider.sent.length);
  });

  it('shares one sender fairly between running campaigns', async () => {
    const first = await runningCampaign(200);
    const second = await runningCampaign(200);
    const provider = new FakeProvider();
    await startDispatcher(provider, 100);
    await until('100 sends', () => provider.sent.length >= 100);
    const firstIds = new Set(
      (await test.database.db.selectFrom('messages').select('id').where('campaign_id', '=', first).execute()).map((r) =>
        String(r.id),
      ),
    );
    const sample = provider.sent.slice(0, 100);
    const ofFirst = sample.filter((s) => firstIds.has(s.callbackData)).length;
    // Equal shares each round: neither campaign waits for the other to finish.
    expect(ofFirst).toBeGreaterThanOrEqual(35);
    expect(ofFirst).toBeLessThanOrEqual(65);
    expect(await statusOf(second)).toBe('running');
    for (const id of [first, second]) await changeCampaignStatus(test.database, id, 'cancel', Date.now());
  });

  it("waits a reconciliation window before resending a lost worker's rows, and never resends one a webhook named", async () => {
    const id = await runningCampaign(4);
    // A worker claimed every row and died: its lease has already run out.
    const lost = await claimDueMessages(test.database.db, test.database.dialect, {
      campaignId: id,
      limit: 10,
      now: Date.now(),
      leaseUntil: Date.now() - 1,
      owner: 'dead-worker',
    });
    expect(lost).toHaveLength(4);
    const provider = new FakeProvider();
    const startedAt = Date.now();
    await startDispatcher(provider, 0, 1_500);
    // During the window Meta's webhook names one of them: it was sent before the crash.
    const named = lost[0] as (typeof lost)[number];
    await recordStatusEvents(
      test.database.db,
      [
        {
          wamid: 'wamid.before-crash',
          status: 'sent',
          occurredAt: Date.now(),
          callbackData: String(named.id),
          error: null,
          pricing: null,
          raw: {},
        },
      ],
      Date.now(),
    );
    await until('completion', async () => (await statusOf(id)) === 'completed');
    expect(provider.sent.map((s) => s.callbackData).sort()).toEqual(
      lost
        .filter((m) => m !== named)
        .map((m) => String(m.id))
        .sort(),
    );
    expect(Math.min(...provider.sent.map((s) => s.at)) - startedAt).toBeGreaterThanOrEqual(1_400);
  });

  /** The one message of a one-contact campaign. */
  const onlyMessage = (campaignId: number) =>
    test.database.db
      .selectFrom('messages')
      .select(['id', 'status', 'status_reason', 'attempts', 'next_attempt_at'])
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();

  it('fails a message whose outcome stays unknown after 3 attempts, saying it may have been delivered', async () => {
    const id = await runningCampaign(1);
    const provider = new ScriptedProvider([failure('unknown_outcome', null, null)]);
    // Each unknown outcome counts as a send to the recipient: a short pair gap keeps the test short.
    await startDispatcher(provider, 0, 50, 50);
    await until('completion', async () => (await statusOf(id)) === 'completed');
    const row = await onlyMessage(id);
    expect(provider.sent.filter((m) => m === String(row.id))).toHaveLength(3);
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(row.status_reason).toMatch(/^outcome unknown after 3 attempts.*may have been delivered/);
  });

  it('waits 24 h after a first 131049 even when an earlier attempt failed otherwise (a 5xx)', async () => {
    const id = await runningCampaign(1);
    const provider = new ScriptedProvider([
      failure('retryable', 131000, 500),
      failure('recipient_permanent', 131049, 400),
    ]);
    await startDispatcher(provider, 0, 60_000, 50);
    const messageId = String((await onlyMessage(id)).id);
    await until(
      'the 131049 recorded',
      async () =>
        provider.sent.filter((m) => m === messageId).length === 2 && (await onlyMessage(id)).status !== 'sending',
    );
    const row = await onlyMessage(id);
    expect(row).toMatchObject({ status: 'pending', status_reason: expect.stringContaining('after 24 h') });
    expect(row.next_attempt_at).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    await changeCampaignStatus(test.database, id, 'cancel', Date.now());
  });
});
