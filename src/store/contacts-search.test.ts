import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listContacts } from './contacts-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from './testing.ts';

// More contacts named Ana than the sparse-search bound, so "ana" takes the id-order walk and a
// rare name the index path: both must answer the same contacts in the same order.
const ANAS = 5_200;

describe.each(TEST_BACKENDS)('contact search on %s', (backend) => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    const rows = Array.from({ length: ANAS + 2 }, (_, i) => ({
      phone: `+4915${10_000_000 + i}`,
      first_name: i === 7 ? 'Zoë' : i === 4_000 ? 'Anke_' : 'Ana',
      last_name: i === 9 ? 'Zoellner' : `Guest${i}`,
      attributes: '{}',
      created_at: 0,
      updated_at: 0,
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await test.database.db
        .insertInto('contacts')
        .values(rows.slice(i, i + 500))
        .execute();
    }
  }, 60_000);
  afterAll(async () => test.drop());

  const phones = async (q: string, afterId?: number) =>
    (await listContacts(test.database.db, { q, limit: 3, afterId })).map((c) => [c.id, c.phone]);

  it('pages a common name in id order', async () => {
    const first = await phones('ANA');
    expect(first.map(([, phone]) => phone)).toEqual(['+491510000000', '+491510000001', '+491510000002']);
    const next = await phones('ana', first.at(-1)?.[0] as number);
    expect(next.map(([, phone]) => phone)).toEqual(['+491510000003', '+491510000004', '+491510000005']);
  });

  it('finds rare first and last names and phone prefixes through the indexes, case-insensitively', async () => {
    expect((await phones('zo')).map(([, phone]) => phone)).toEqual(['+491510000007', '+491510000009']);
    expect((await phones('4915100052')).map(([, phone]) => phone)).toEqual(['+491510005200', '+491510005201']);
    expect(await phones('zzz')).toEqual([]);
  });

  it('takes _ and % literally', async () => {
    expect((await phones('anke_')).map(([, phone]) => phone)).toEqual(['+491510004000']);
    expect(await phones('an%')).toEqual([]);
  });
});
