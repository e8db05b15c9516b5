import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { prepareChunkedInsert, ROWS_PER_STATEMENT } from './sqlite-chunked-insert.ts';

describe('prepareChunkedInsert', () => {
  it('inserts full chunks and the remainder in order, each row once', () => {
    const sqlite = new SQLite(':memory:');
    sqlite.exec('CREATE TABLE t (n INTEGER NOT NULL, label TEXT NOT NULL)');
    const insert = prepareChunkedInsert(sqlite, 'INSERT INTO t (n, label)', 2);
    for (const count of [0, 1, ROWS_PER_STATEMENT, 2 * ROWS_PER_STATEMENT + 3]) {
      sqlite.exec('DELETE FROM t');
      insert(Array.from({ length: count }, (_, i) => [i, `row ${i}`]).flat());
      const rows = sqlite.prepare('SELECT n, label FROM t ORDER BY rowid').all() as { n: number; label: string }[];
      expect(rows).toEqual(Array.from({ length: count }, (_, i) => ({ n: i, label: `row ${i}` })));
    }
  });

  it('keeps the conflict clause for every row of a chunk', () => {
    const sqlite = new SQLite(':memory:');
    sqlite.exec('CREATE TABLE t (n INTEGER PRIMARY KEY)');
    const insert = prepareChunkedInsert(sqlite, 'INSERT INTO t (n)', 1, 'ON CONFLICT DO NOTHING');
    insert(Array.from({ length: ROWS_PER_STATEMENT + 10 }, (_, i) => i % 7));
    expect(sqlite.prepare('SELECT count(*) AS c FROM t').get()).toEqual({ c: 7 });
  });
});
