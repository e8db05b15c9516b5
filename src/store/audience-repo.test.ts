import { afterAll, beforeAll, expect, it } from 'vitest';
import { pageAudience } from './audience-repo.ts';
import { addSuppression } from './suppressions-repo.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

const NOW = 1_800_000_000_000;
const PHONE = '+4915112345678';
let test: TestDatabase;

beforeAll(async () => {
  test = await createTestDatabase('sqlite');
  await test.database.db
    .insertInto('contacts')
    .values({ phone: PHONE, attributes: '{}', created_at: NOW, updated_at: NOW })
    .execute();
});
afterAll(async () => test.drop());

it('reads an audience page only between other callers’ transactions, never inside one', async () => {
  const { database } = test;
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  // Another caller suppresses the number in a transaction it will roll back.
  const rolledBack = database.db
    .transaction()
    .execute(async (trx) => {
      await addSuppression(trx, { phone: PHONE, reason: 'opted_out', source: 'test', now: NOW });
      await held;
      throw new Error('roll back');
    })
    .catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 10));
  const page = pageAudience(database, { tags: [], excludeTags: [] }, { afterId: 0, limit: 10 });
  release();
  await rolledBack;
  expect((await page).map((c) => [c.phone, c.suppression])).toEqual([[PHONE, null]]);
});
