import { type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';
import type { DB } from './schema.ts';

// Helpers for the batched hot paths (send results, status events, materialised rows): one
// statement for many rows instead of one statement per row, as `v(column1, column2, …)`.

/** How a row-set column is typed: PostgreSQL infers untyped parameters in VALUES as text. */
export type ValuesColumn = 'bigint' | 'text';

/**
 * Rows of equal length as a derived table `v` with columns column1, column2, … to join on.
 * PostgreSQL gets `(VALUES (…), (…))` with integer columns cast, so they compare with integer
 * columns. SQLite gets one JSON parameter read by json_each: its VALUES form cost 4× as much to
 * run (a cast per value; without the cast, text ids miss the rowid lookup) and, its text
 * changing with the row count, a fresh prepare every time; this form is one cached statement.
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
  const tuples = rows.map(
    (row) =>
      sql`(${sql.join(
        columns.map((type, i) => (type === 'bigint' ? sql`cast(${row[i] ?? null} as bigint)` : sql`${row[i] ?? null}`)),
      )})`,
  );
  return sql`(values ${sql.join(tuples)}) as v`;
}

/**
 * `insert into table (columns…) select … from rows … where true` followed by `tail` (an
 * `on conflict …` or `returning …`): a batch of rows as one statement, its text the same whatever
 * the row count on SQLite, so it is prepared once (a multi-row VALUES built by Kysely was compiled
 * and prepared anew for every batch: a tenth of the dispatcher's time). SQLite needs the `where`
 * between a SELECT and an upsert clause.
 */
export function insertRows(
  db: Pick<Kysely<DB>, 'getExecutor'>,
  table: keyof DB,
  columns: readonly (readonly [name: string, type: ValuesColumn])[],
  rows: readonly (readonly unknown[])[],
  tail: RawBuilder<unknown> = sql``,
): RawBuilder<unknown> {
  const names = sql.join(columns.map(([name]) => sql.ref(name)));
  const picks = sql.join(columns.map((_, i) => sql.ref(`v.column${i + 1}`)));
  const values = valuesTable(
    db,
    rows,
    columns.map(([, type]) => type),
  );
  return sql`insert into ${sql.table(table)} (${names}) select ${picks} from ${values} where true ${tail}`;
}

/**
 * The right side of `column in …` for a long list: on SQLite one JSON parameter read by json_each,
 * so the statement text is the same for every length; on PostgreSQL the list itself.
 */
export function inList<T extends string | number>(db: Pick<Kysely<DB>, 'getExecutor'>, values: readonly T[]) {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return values;
  return sql<T>`(select value from json_each(${JSON.stringify(values)}))`;
}

/** Splits `items` into slices of at most `size`, so a statement stays under the bound-parameter limits. */
export function inChunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
