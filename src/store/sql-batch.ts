import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './db.ts';
import type { DB } from './schema.ts';

/** A handle that runs hand-built SQL: the database or a transaction, and its dialect. */
export type SqlRunner = Pick<Database, 'db' | 'dialect'>;

/** A runner bound to a transaction. */
export function inTransaction(runner: SqlRunner, trx: Kysely<DB>): SqlRunner {
  return { db: trx, dialect: runner.dialect };
}

// SQLite allows 32,766 bound variables per statement, PostgreSQL 65,535; stay below both.
const MAX_VARIABLES = { sqlite: 32_000, postgres: 65_000 } as const;

/** How many rows of `columnCount` values one statement may carry in this dialect. */
export function rowsPerStatement(runner: SqlRunner, columnCount: number): number {
  return Math.floor(MAX_VARIABLES[runner.dialect] / columnCount);
}

const valuesCache = new Map<string, string>();

/** `(?,?),(?,?)…` for SQLite or `($1,$2),($3,$4)…` for PostgreSQL; cached, since batch sizes repeat. */
export function valuesList(runner: SqlRunner, rowCount: number, columnCount: number): string {
  const key = `${runner.dialect}:${rowCount}:${columnCount}`;
  let text = valuesCache.get(key);
  if (text === undefined) {
    const rows: string[] = [];
    for (let r = 0, n = 1; r < rowCount; r++) {
      const cells: string[] = [];
      for (let c = 0; c < columnCount; c++, n++) cells.push(runner.dialect === 'postgres' ? `$${n}` : '?');
      rows.push(`(${cells.join(',')})`);
    }
    text = rows.join(',');
    if (valuesCache.size > 64) valuesCache.clear();
    valuesCache.set(key, text);
  }
  return text;
}

/** `?,?,?` or `$1,$2,$3` for an IN list. */
export function inList(runner: SqlRunner, count: number): string {
  return valuesList(runner, 1, count).slice(1, -1);
}

/** Runs hand-built SQL with positional parameters; skips Kysely's per-value compilation on hot paths. */
export async function runSql<Row>(runner: SqlRunner, text: string, parameters: readonly unknown[]): Promise<Row[]> {
  const result = await runner.db.executeQuery<Row>(CompiledQuery.raw(text, [...parameters]));
  return [...result.rows];
}

/** Inserts many rows of the same columns, split into as few statements as the variable limit allows. */
export async function insertMany(
  runner: SqlRunner,
  head: string,
  columnCount: number,
  rows: readonly (readonly unknown[])[],
  tail = '',
): Promise<void> {
  const perStatement = rowsPerStatement(runner, columnCount);
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    await runSql(runner, `${head} VALUES ${valuesList(runner, chunk.length, columnCount)} ${tail}`, chunk.flat());
  }
}
