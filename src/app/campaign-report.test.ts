import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findContactByPhone, updateContact } from '../store/contacts-repo.ts';
import { setMessageOutcomeForTest } from '../store/report-outcomes.testing.ts';
import { createTestDatabase, type TestDatabase } from '../store/testing.ts';
import { campaignReportCsv } from './campaign-report.ts';
import { SEED_NOW, SEED_PHONES, seedReportCampaign } from './campaign-report-seed.testing.ts';

describe('report.csv', () => {
  let test: TestDatabase;
  let id: number;

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    id = await seedReportCampaign(test.database);
    const contact = await findContactByPhone(test.database.db, SEED_PHONES.read);
    if (!contact) throw new Error('the seed has no contact to rename');
    await updateContact(
      test.database.db,
      contact.id,
      { firstName: '=HYPERLINK("http://x","y")', lastName: '' },
      SEED_NOW,
    );
    await setMessageOutcomeForTest(test.database.db, id, SEED_PHONES.failedPermanent, { error_title: '@SUM(A1)' });
  });
  afterAll(async () => test.drop());

  it('neutralises names and error texts a spreadsheet would run as formulas, and keeps E.164 phones', async () => {
    let csv = '';
    for await (const chunk of campaignReportCsv(test.database, id)) csv += chunk;
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    const byPhone = new Map(rows.map((row) => [row.phone, row]));
    expect(byPhone.get(SEED_PHONES.read)?.name).toBe(`'=HYPERLINK("http://x","y")`);
    expect(byPhone.get(SEED_PHONES.failedPermanent)?.error_title).toBe(`'@SUM(A1)`);
    expect([...byPhone.keys()].sort()).toEqual(Object.values(SEED_PHONES).sort());
  });
});
