import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERASED_NUMBER_REASON } from '../domain/erased-recipient.ts';
import { insertInbound } from '../store/inbound-repo.ts';
import { claimDueMessages } from '../store/outbox-repo.ts';
import { recordSendResults } from '../store/send-results-repo.ts';
import { recordStatusEvents } from '../store/status-events-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { campaignReportCsv } from './campaign-report.ts';
import { buildCampaignReport } from './campaign-report-view.ts';
import { consentStatus } from './consent.ts';
import { erasePerson } from './erase-person.ts';
import { exportPerson } from './export-person.ts';
import { importContacts } from './import-contacts.ts';
import {
  dumpEveryTable,
  OTHER,
  PERSON,
  PERSON_NOW,
  type PersonSeed,
  seedPerson,
  statusEvent,
} from './person-seed.testing.ts';
import { runRetention } from './retention.ts';

const clock = () => PERSON_NOW + 60_000;
const TRACES = [PERSON.phone, PERSON.digits, PERSON.firstName, PERSON.lastName, PERSON.attribute, PERSON.wamid];

async function reportCsv(test: TestDatabase, campaignId: number): Promise<string> {
  let csv = '';
  for await (const chunk of campaignReportCsv(test.database, campaignId)) csv += chunk;
  return csv;
}

describe.each(TEST_BACKENDS)('erasing a person on %s', (backend) => {
  let test: TestDatabase;
  let seed: PersonSeed;
  let before: Awaited<ReturnType<typeof buildCampaignReport>>[];

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    seed = await seedPerson(test.database);
    before = [
      await buildCampaignReport(test.database, seed.deliveredCampaignId),
      await buildCampaignReport(test.database, seed.runningCampaignId),
    ];
  });
  afterAll(async () => test.drop());

  it('finds the person in the tables before, so the scan below can fail', async () => {
    const dump = [...(await dumpEveryTable(test.database)).values()].flat().join('\n');
    for (const trace of TRACES) expect(dump).toContain(trace);
  });

  it('removes every trace of the number and the name from every table, and says what it did', async () => {
    const result = await erasePerson(test.database.db, PERSON.phone, { requestedBy: 'dpo@example.com' }, clock);
    expect(result).toMatchObject({
      erasure: { requested_by: 'dpo@example.com', is_repeat: false, erased_at: new Date(clock()).toISOString() },
      removed: {
        contact: true,
        tags: 2,
        consent_entries: 1,
        suppression_entry: true,
        pending_messages_skipped: 1,
        messages_scrubbed: 2,
        status_events_scrubbed: 1,
        replies_scrubbed: 1,
        recipient_windows_scrubbed: 1,
        waiting_status_events: 1,
        webhook_inbox_events: 1,
        unrouted_webhook_events: 1,
      },
    });
    const dump = await dumpEveryTable(test.database);
    for (const [table, rows] of dump) {
      for (const trace of TRACES)
        expect(
          rows.filter((row) => row.includes(trace)),
          `${table}: ${trace}`,
        ).toEqual([]);
    }
    // The other person's data stays, their inbox event included.
    const all = [...dump.values()].flat().join('\n');
    for (const trace of [OTHER.phone, OTHER.wamid, 'Olga']) expect(all).toContain(trace);
    expect(dump.get('webhook_inbox')?.join()).toContain(OTHER.digits);
  });

  it('drops status webhooks that arrive later for the person’s messages, unstored', async () => {
    const late = [
      statusEvent(PERSON.wamid, PERSON.digits, seed.personMessageId, 'read'),
      statusEvent(`${PERSON.wamid}.x`, PERSON.digits, seed.personMessageId, 'read'),
    ];
    expect(await recordStatusEvents(test.database.db, late, clock())).toEqual([]);
    const dump = [...(await dumpEveryTable(test.database)).values()].flat().join('\n');
    expect(dump).not.toContain(PERSON.digits);
  });

  it('keeps every count per status, replies and cost; waiting messages become skipped', async () => {
    const [delivered, running] = [
      await buildCampaignReport(test.database, seed.deliveredCampaignId),
      await buildCampaignReport(test.database, seed.runningCampaignId),
    ];
    expect(delivered.counts).toEqual(before[0]?.counts);
    expect(delivered.total).toBe(before[0]?.total);
    expect(delivered.replies).toEqual(before[0]?.replies);
    expect(delivered.cost.actual).toEqual(before[0]?.cost.actual);
    expect(delivered.cost.estimate).toEqual(before[0]?.cost.estimate);
    expect(running.total).toBe(before[1]?.total);
    expect(running.counts).toEqual({ ...before[1]?.counts, pending: 1, skipped: 1 });
  });

  it('shows nothing personal in the CSV report: the stand-in keeps only the country', async () => {
    const csv = await reportCsv(test, seed.deliveredCampaignId);
    for (const trace of TRACES) expect(csv).not.toContain(trace);
    expect(csv).toMatch(/\nerased:DE:[0-9a-f]{12},,delivered,,erased:\d+,/);
    expect(csv).toContain(OTHER.phone);
  });

  it('keeps the number suppressed as erased, and its export holds only the erasure record', async () => {
    expect(await consentStatus(test.database.db, PERSON.phone)).toMatchObject({ suppressed: 'erased' });
    expect(await exportPerson(test.database.db, PERSON.phone, clock)).toMatchObject({
      contact: null,
      consent: [],
      messages: [],
      replies: [],
      suppression: { reason: 'erased' },
      erasure: { requested_by: 'dpo@example.com' },
    });
    const hashes = await test.database.db.selectFrom('erased_numbers').selectAll().execute();
    expect(hashes).toEqual([
      {
        id: expect.anything(),
        phone_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        erased_at: clock(),
        requested_by: 'dpo@example.com',
      },
    ]);
  });

  it('refuses to import the number again, naming the row and why; the other rows go in', async () => {
    const csv = `phone,first_name\n+4915100001111,New\n${PERSON.phone},${PERSON.firstName}\n+4915100002222,Two\n`;
    const report = await importContacts(test.database, Readable.from([csv]), { fileName: 'again.csv' }, clock);
    expect(report).toEqual({
      imported: 2,
      updated: 0,
      invalid: 1,
      duplicates: 0,
      errors: [{ row: 3, reason: ERASED_NUMBER_REASON }],
    });
    const contact = await test.database.db
      .selectFrom('contacts')
      .select('id')
      .where('phone', '=', PERSON.phone)
      .executeTakeFirst();
    expect(contact).toBeUndefined();
  });

  it('erasing again keeps the first record and scrubs what came since', async () => {
    await insertInbound(
      test.database.db,
      {
        wamid: 'wamid.later',
        phone: PERSON.phone,
        type: 'text',
        text: 'hello again',
        contextWamid: null,
        phoneNumberId: 'p1',
        occurredAt: clock(),
        payload: JSON.stringify({ from: PERSON.digits }),
      },
      undefined,
      null,
      clock(),
    );
    const again = await erasePerson(test.database.db, PERSON.phone, { requestedBy: 'someone else' }, () => clock() + 1);
    expect(again.erasure).toMatchObject({ is_repeat: true, requested_by: 'dpo@example.com' });
    expect(again.removed).toMatchObject({ contact: false, replies_scrubbed: 1, messages_scrubbed: 0 });
    const dump = [...(await dumpEveryTable(test.database)).values()].flat().join('\n');
    expect(dump).not.toContain(PERSON.digits);
  });

  it('refuses a phone that is not E.164 and changes nothing', async () => {
    await expect(erasePerson(test.database.db, '0151 1234', { requestedBy: 'x' }, clock)).rejects.toMatchObject({
      code: 'invalid_phone',
    });
  });
});

describe.each(TEST_BACKENDS)('erasing a person whose message is in flight on %s', (backend) => {
  let test: TestDatabase;
  afterAll(async () => test.drop());

  it('scrubs the message again once its send is answered, at the next retention run', async () => {
    test = await createTestDatabase(backend);
    const seed = await seedPerson(test.database);
    const { db, dialect } = test.database;
    const now = clock();
    const claim = { campaignId: seed.runningCampaignId, limit: 10, now, leaseUntil: now + 60_000, owner: 'w' };
    const claimed = await claimDueMessages(db, dialect, claim);
    const inFlight = claimed.find((m) => m.phone === PERSON.phone);
    await erasePerson(db, PERSON.phone, { requestedBy: 'dpo' }, clock);
    // The send's answer, recorded after the erasure: it brings a wamid (which holds the number) back.
    const attempt = {
      attempt: 1,
      started_at: now,
      finished_at: now,
      outcome: 'accepted' as const,
      wamid: PERSON.wamid,
    };
    await recordSendResults(
      db,
      [
        {
          kind: 'accepted',
          messageId: inFlight?.id as number,
          campaignId: seed.runningCampaignId,
          attempt,
          senderId: 'default',
          phone: PERSON.phone,
          wamid: PERSON.wamid,
          at: now,
        },
      ],
      now,
    );
    const leftover = () => dumpEveryTable(test.database).then((dump) => [...dump.values()].flat().join('\n'));
    expect(await leftover()).toContain(PERSON.wamid);
    expect(
      (await runRetention(test.database, { payloadDays: undefined, bodyDays: undefined }, clock)).erasure_followups,
    ).toBe(1);
    expect(await leftover()).not.toContain(PERSON.wamid);
    // The number the answer noted for the sending limits goes once no limit needs it.
    await runRetention(test.database, { payloadDays: undefined, bodyDays: undefined }, () => now + 3 * 86_400_000);
    expect(await leftover()).not.toContain(PERSON.digits);
  });
});
