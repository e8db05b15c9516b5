import { type RawBuilder, sql } from 'kysely';

// Helpers for the batched hot paths (send results, status events, materialised rows): one
// statement for many rows instead of one statement per row. The same SQL runs on SQLite (≥ 3.33,
// for UPDATE … FROM) and PostgreSQL, whose VALUES columns are named column1, column2, …

/** How a VALUES column is typed: PostgreSQL infers untyped parameters in VALUES as text. */
export type ValuesColumn = 'bigint' | 'text';

/**
 * `(VALUES (…), (…)) AS v` for rows of equal length; integer columns are cast so PostgreSQL
 * compares them with integer columns (SQLite reads the cast as an integer affinity).
 */
export function valuesTable(
  rows: readonly (readonly unknown[])[],
  columns: readonly ValuesColumn[],
): RawBuilder<unknown> {
  const tuples = rows.map(
    (row) =>
      sql`(${sql.join(
        columns.map((type, i) => (type === 'bigint' ? sql`cast(${row[i] ?? null} as bigint)` : sql`${row[i] ?? null}`)),
      )})`,
  );
  return sql`(values ${sql.join(tuples)}) as v`;
}

/** Splits `items` into slices of at most `size`, so a statement stays under the bound-parameter limits. */
export function inChunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
