import { type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';
import type { DB } from './schema.ts';

// Helpers for the batched hot paths (send results, status events, materialised rows): one
// statement for many rows instead of one statement per row, as `v(column1, column2, …)`.

/** How a row-set column is typed: PostgreSQL infers untyped parameters in VALUES as text. */
export type ValuesColumn = 'bigint' | 'text';

/**
 * Rows of equal length as a derived table `v` with columns column1, column2, … to join on.
 * PostgreSQL gets one typed array parameter a column, unnested side by side: the same statement
 * text whatever the row count, and a handful of parameters instead of one a value (a VALUES list
 * of 200 status events, 1,400 parameters, cost this process a third more CPU to build and send,
 * and took the server half as long again). SQLite gets one JSON parameter read by json_each: its
 * VALUES form cost 4× as much to run (a cast per value; without the cast, text ids miss the rowid
 * lookup) and, its text changing with the row count, a fresh prepare every time; this form is one
 * cached statement.
 */
export function valuesTable(
  db: Pick<Kysely<DB>, 'getExecutor'>,
  rows: readonly (readonly unknown[])[],
  columns: readonly ValuesColumn[],
): RawBuilder<unknown> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    const picks = columns.map((_, i) => sql.raw(`j.value ->> ${i} as column${i + 1}`));
    return sql`(select ${sql.join(picks)} from json_each(${JSON.stringify(rows)}) as j) as v`;
  }
  const arrays = columns.map(
    (type, i) => sql`cast(${sql.val(rows.map((row) => row[i] ?? null))} as ${sql.raw(type)}[])`,
  );
  const names = columns.map((_, i) => `column${i + 1}`).join(', ');
  return sql`unnest(${sql.join(arrays)}) as v(${sql.raw(names)})`;
}

/** A column an insert writes: its name, and how valuesTable types it. */
export type InsertColumn<Name extends string = string> = readonly [Name, ValuesColumn];

/**
 * Rows (values in the order of `columns`) as the source of an `INSERT … SELECT`: on SQLite one
 * cached statement whatever the row count, instead of a statement text (and a fresh prepare)
 * per row count with every value bound on its own. `where true` keeps SQLite from reading a
 * following ON CONFLICT as a join constraint.
 */
export function rowsToInsert(
  db: Pick<Kysely<DB>, 'getExecutor'>,
  rows: readonly (readonly unknown[])[],
  columns: readonly InsertColumn[],
): RawBuilder<unknown> {
  const types = columns.map(([, type]) => type);
  return sql`select * from ${valuesTable(db, rows, types)} where true`;
}

/** Splits `items` into slices of at most `size`, so a statement stays under the bound-parameter limits. */
export function inChunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
