import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAudience, pageAudience } from './audience-repo.ts';
import { addSuppression } from './suppressions-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from './testing.ts';

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

describe.each(TEST_BACKENDS)('audience counts on %s', (backend) => {
  let counted: TestDatabase;
  // Contact i carries these tags; the one with two of the counted tags counts once.
  const TAGS = [['vip'], ['vip', 'news'], ['news'], ['news', 'staff'], [], ['staff']];

  beforeAll(async () => {
    counted = await createTestDatabase(backend);
    const { db } = counted.database;
    for (const [i, tags] of TAGS.entries()) {
      const { id } = await db
        .insertInto('contacts')
        .values({ phone: `+491511000000${i}`, attributes: '{}', created_at: NOW, updated_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const tag of tags) await db.insertInto('contact_tags').values({ contact_id: id, tag }).execute();
    }
  });
  afterAll(async () => counted.drop());

  it('counts each contact with any of the tags once, less those with an excluded tag', async () => {
    const count = (tags: string[], excludeTags: string[] = []) =>
      countAudience(counted.database.db, { tags, excludeTags });
    expect(await count([])).toBe(6);
    expect(await count([], ['staff'])).toBe(4);
    expect(await count(['vip'])).toBe(2);
    expect(await count(['vip', 'news'])).toBe(4);
    expect(await count(['vip', 'news'], ['staff'])).toBe(3);
    expect(await count(['nobody'])).toBe(0);
  });
});
