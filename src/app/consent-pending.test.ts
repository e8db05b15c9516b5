import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { welcome } from '../domain/template-fixtures.testing.ts';
import { messageStatusesOf, seedPendingCampaign } from '../store/campaign-fixtures.testing.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { recordOptIn, recordOptOut } from './consent.ts';
import { erasePerson } from './erase-person.ts';

const NOW = Date.parse('2026-02-01T00:00:00Z');
const clock = () => NOW;
const [ANA, BEN, CAI, DIA] = ['+4915112345001', '+4915112345002', '+4915112345003', '+4915112345004'];
const EVERYONE = [ANA, BEN, CAI, DIA] as string[];

describe.each(TEST_BACKENDS)('what an opt-out does to waiting messages on %s', (backend) => {
  let test: TestDatabase;
  let utility: number;
  let marketing: number;
  const db = () => test.database.db;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    for (const phone of EVERYONE) await recordOptIn(db(), phone, { source: 'form' }, clock);
    utility = await seedPendingCampaign(db(), NOW, { status: 'running', phones: EVERYONE });
    marketing = await seedPendingCampaign(db(), NOW, { status: 'paused', phones: EVERYONE, definition: welcome });
  });
  afterAll(async () => test.drop());

  it('skips the number’s pending messages in running and paused campaigns at once, and no one else’s', async () => {
    await recordOptOut(db(), ANA as string, { source: 'api' }, clock);
    expect(await messageStatusesOf(db(), ANA as string)).toEqual([
      [utility, 'skipped', 'suppressed: opted out via api'],
      [marketing, 'skipped', 'suppressed: opted out via api'],
    ]);
    expect(await messageStatusesOf(db(), DIA as string)).toEqual([
      [utility, 'pending', null],
      [marketing, 'pending', null],
    ]);
  });

  it('an opt-out of one purpose skips only the messages that purpose no longer covers', async () => {
    await recordOptOut(db(), BEN as string, { source: 'cli', purpose: 'marketing', evidence: 'asked by phone' }, clock);
    expect(await messageStatusesOf(db(), BEN as string)).toEqual([
      [utility, 'pending', null],
      [marketing, 'skipped', 'no_consent: marketing consent revoked (asked by phone)'],
    ]);
    await recordOptOut(db(), BEN as string, { source: 'cli', purpose: 'utility' }, clock);
    expect(await messageStatusesOf(db(), BEN as string)).toEqual([
      [utility, 'skipped', 'no_consent: utility consent revoked (opted out via cli)'],
      [marketing, 'skipped', 'no_consent: marketing consent revoked (asked by phone)'],
    ]);
  });

  it('erasing a contact skips its pending messages too, kept under a stand-in for the number', async () => {
    await erasePerson(db(), CAI as string, { requestedBy: 'test' }, clock);
    expect(await messageStatusesOf(db(), CAI as string)).toEqual([]);
    const kept = await db()
      .selectFrom('messages')
      .select(['campaign_id', 'status', 'status_reason'])
      .where('phone', 'like', 'erased:DE:%')
      .orderBy('campaign_id')
      .execute();
    expect(kept.map((m) => [m.campaign_id, m.status, m.status_reason])).toEqual([
      [utility, 'skipped', 'suppressed: erased'],
      [marketing, 'skipped', 'suppressed: erased'],
    ]);
  });
});
