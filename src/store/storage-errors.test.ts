import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { storageTroubleOf } from './storage-errors.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('storageTroubleOf', () => {
  it('reads a full disk from SQLite, the file system and PostgreSQL', () => {
    expect(storageTroubleOf(withCode('database or disk is full', 'SQLITE_FULL'))).toBe('full');
    expect(storageTroubleOf(withCode('no space left on device', 'ENOSPC'))).toBe('full');
    expect(storageTroubleOf(withCode('could not extend file', '53100'))).toBe('full');
  });

  it('reads an unreachable or restarting PostgreSQL', () => {
    expect(storageTroubleOf(withCode('terminating connection due to administrator command', '57P01'))).toBe(
      'unavailable',
    );
    expect(storageTroubleOf(withCode('the database system is starting up', '57P03'))).toBe('unavailable');
    expect(storageTroubleOf(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe('unavailable');
    expect(storageTroubleOf(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
  });

  it('looks through causes, and leaves every other error alone', () => {
    expect(storageTroubleOf(new Error('wrapped', { cause: withCode('full', 'SQLITE_FULL') }))).toBe('full');
    expect(storageTroubleOf(withCode('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
    expect(storageTroubleOf(withCode('duplicate key', '23505'))).toBeUndefined();
    expect(storageTroubleOf('SQLITE_FULL')).toBeUndefined();
  });

  it('recognises the error SQLite itself raises when a database may grow no further', () => {
    const sqlite = new SQLite(':memory:');
    sqlite.exec('CREATE TABLE t (x TEXT)');
    sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true })}`);
    let thrown: unknown;
    try {
      const insert = sqlite.prepare('INSERT INTO t VALUES (?)');
      for (let i = 0; i < 1_000; i++) insert.run('x'.repeat(1_000));
    } catch (error) {
      thrown = error;
    }
    sqlite.close();
    expect(storageTroubleOf(thrown)).toBe('full');
  });
});
