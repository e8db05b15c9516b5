import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from './migrate.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from './testing.ts';

describe.each(TEST_BACKENDS)('migrations on %s', (backend) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(backend);
  });
  afterAll(async () => test.drop());

  it('creates the foundation tables and is idempotent on restart', async () => {
    const again = await migrateToLatest(test.database);
    expect(again).toEqual([]);
    const { db } = test.database;
    const now = 1_700_000_000_000;
    const inserted = await db
      .insertInto('contacts')
      .values({ phone: '+4915112345678', attributes: '{}', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(inserted.id).toBeGreaterThan(0);
    await expect(
      db
        .insertInto('contacts')
        .values({ phone: '+4915112345678', attributes: '{}', created_at: now, updated_at: now })
        .execute(),
    ).rejects.toThrow();
  });

  it('enforces foreign keys', async () => {
    await expect(
      test.database.db.insertInto('contact_tags').values({ contact_id: 999_999, tag: 'vip' }).execute(),
    ).rejects.toThrow();
    const count = await sql<{ n: number }>`select count(*) as n from contact_tags`.execute(test.database.db);
    expect(Number(count.rows[0]?.n)).toBe(0);
  });
});
