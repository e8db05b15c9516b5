import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../cloud-api/webhook-events.ts';
import { createKeywordMatcher } from '../domain/opt-out-keywords.ts';
import { createLogger } from '../logger.ts';
import { seedMessagesInFlight } from '../store/campaign-fixtures.testing.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { countStashedEvents } from '../store/webhook-inbox-repo.ts';
import { statusEvent as status } from './status-event-fixtures.testing.ts';
import { MAX_DRAIN_ATTEMPTS, WebhookIntake } from './webhook-intake.ts';

const NOW = 1_800_000_000_000;

describe.each(TEST_BACKENDS)('the webhook intake on %s', (backend) => {
  let test: TestDatabase;
  const intakes: WebhookIntake[] = [];
  const newIntake = () => {
    const intake = new WebhookIntake(test.database, createLogger('silent'), () => ({
      now: NOW,
      logger: createLogger('silent'),
      matchKeyword: createKeywordMatcher(),
    }));
    intakes.push(intake);
    return intake;
  };

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    await seedMessagesInFlight(test.database, NOW, 7);
  });
  afterAll(async () => {
    for (const intake of intakes) await intake.close();
    await test.drop();
  });

  const statusOf = async (id: number) =>
    (await test.database.db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow())
      .status;
  const storedEvents = async () =>
    Number(
      (
        await test.database.db
          .selectFrom('status_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('applies sent/delivered/read from the inbox in a drain right after the answer', async () => {
    const intake = newIntake();
    const events: WebhookEvent[] = [status(1, 'sent', NOW + 1), status(1, 'delivered', NOW + 2)];
    await intake.receive(events);
    await intake.settled();
    expect(await countStashedEvents(test.database.db)).toBe(0);
    expect(await statusOf(1)).toBe('delivered');
  });

  it('applies a failed status before answering: it may carry an opt-out', async () => {
    const intake = newIntake();
    await intake.receive([status(2, 'failed', NOW + 1, 131026)]);
    expect(await statusOf(2)).toBe('failed');
    expect(await countStashedEvents(test.database.db)).toBe(0);
  });

  it('stores a repeat once, whether it repeats in one POST or across POSTs', async () => {
    const intake = newIntake();
    const before = await storedEvents();
    const read = status(3, 'read', NOW + 3);
    await intake.receive([read, read]);
    await intake.receive([read]);
    await intake.settled();
    expect(await statusOf(3)).toBe('read');
    expect((await storedEvents()) - before).toBe(1);
  });

  it('lets a replayed or stale event change nothing: a late delivered or an old failure never undoes a read', async () => {
    const intake = newIntake();
    const outcome = () =>
      test.database.db
        .selectFrom('messages')
        .select(['status', 'sent_at', 'delivered_at', 'read_at', 'failed_at', 'error_code'])
        .where('id', '=', 6)
        .executeTakeFirstOrThrow();
    const delivery = [status(6, 'sent', NOW + 1), status(6, 'delivered', NOW + 2), status(6, 'read', NOW + 3)];
    await intake.receive(delivery);
    await intake.settled();
    const settled = await outcome();
    expect(settled).toEqual({
      status: 'read',
      sent_at: NOW + 1,
      delivered_at: NOW + 2,
      read_at: NOW + 3,
      failed_at: null,
      error_code: null,
    });
    const events = await storedEvents();
    // Meta retries a delivery for up to 7 days (reference/cloud-api.md §4): the same batch again is a no-op.
    await intake.receive(delivery);
    // A delivered and a failure older than the read: Meta cannot fail a message the person read,
    // so the failure is stale news and the read stands.
    await intake.receive([status(6, 'delivered', NOW + 1), status(6, 'failed', NOW + 2, 131026)]);
    await intake.settled();
    expect(await outcome()).toEqual(settled);
    // Events are stored once per (wamid, status): only the failure is new, kept as history.
    expect((await storedEvents()) - events).toBe(1);
  });

  it('sets aside a batch that keeps failing, keeps it, and applies the batches behind it', async () => {
    const intake = newIntake();
    const { db } = test.database;
    // A stored batch that cannot be read back: every drain that takes it fails.
    await db.insertInto('webhook_inbox').values({ received_at: NOW, event_count: 1, events: '[{"wamid":' }).execute();
    await intake.receive([status(5, 'sent', NOW + 1), status(5, 'delivered', NOW + 2)]);
    for (let drain = 0; drain <= MAX_DRAIN_ATTEMPTS && (await countStashedEvents(db)) > 0; drain++) {
      await intake.settled();
    }
    expect(await countStashedEvents(db)).toBe(0);
    expect(await statusOf(5)).toBe('delivered');
    const setAside = await db
      .selectFrom('webhook_inbox')
      .select(['attempts', 'last_error', 'set_aside_at', 'events'])
      .execute();
    expect(setAside).toEqual([
      {
        attempts: MAX_DRAIN_ATTEMPTS,
        last_error: expect.stringContaining('JSON'),
        set_aside_at: NOW,
        events: '[{"wamid":',
      },
    ]);
    await db.deleteFrom('webhook_inbox').execute();
  });

  it('answers once events are in the inbox: what a stopped process left there is applied at the next start', async () => {
    const crashed = newIntake();
    await crashed.close(); // answers, but never drains: as if killed right after the 200
    await crashed.receive([status(4, 'sent', NOW + 1), status(4, 'read', NOW + 4)]);
    await crashed.receive([status(4, 'delivered', NOW + 2)]);
    expect(await countStashedEvents(test.database.db)).toBe(3);
    expect(await statusOf(4)).toBe('sending');

    const restarted = newIntake();
    restarted.start();
    await expect.poll(() => countStashedEvents(test.database.db), { timeout: 3_000 }).toBe(0);
    expect(await statusOf(4)).toBe('read');
    expect(
      await test.database.db
        .selectFrom('messages')
        .select(['sent_at', 'delivered_at', 'read_at'])
        .where('id', '=', 4)
        .executeTakeFirstOrThrow(),
    ).toEqual({ sent_at: NOW + 1, delivered_at: NOW + 2, read_at: NOW + 4 });
  });

  it('stores the POSTs that arrive together as one inbox row, each answered once the row is stored', async () => {
    const stopped = newIntake();
    await stopped.close(); // so the row stays to be seen
    const rows = () => test.database.db.selectFrom('webhook_inbox').select('event_count').execute();
    const answered: number[] = [];
    const posts = [status(7, 'sent', NOW + 1), status(7, 'delivered', NOW + 2), status(7, 'read', NOW + 3)].map(
      (event) => stopped.receive([event]).then(async () => answered.push((await rows()).length)),
    );
    await Promise.all(posts);
    expect(await rows()).toEqual([{ event_count: 3 }]);
    expect(answered).toEqual([1, 1, 1]);

    const running = newIntake();
    running.start();
    await expect.poll(() => countStashedEvents(test.database.db), { timeout: 3_000 }).toBe(0);
    expect(await statusOf(7)).toBe('read');
  });
});
