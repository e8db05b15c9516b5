import type SQLite from 'better-sqlite3';

/** Rows per multi-row statement: binding 256 rows in one run costs about a third of 256 single-row runs. */
export const ROWS_PER_STATEMENT = 256;

/** Inserts rows given as one flat array of values, `columns` values per row, in file order. */
export type ChunkedInsert = (values: readonly unknown[]) => void;

/**
 * Prepares one INSERT of ROWS_PER_STATEMENT rows and one of a single row, both once, and runs
 * the long one for every full chunk and the short one for the remainder. A statement of the
 * batch's exact length would be compiled anew for every batch, which costs more than it saves.
 */
export function prepareChunkedInsert(sqlite: SQLite.Database, head: string, columns: number, tail = ''): ChunkedInsert {
  const tuple = `(${Array.from({ length: columns }, () => '?').join(',')})`;
  const many = sqlite.prepare(
    `${head} VALUES ${Array.from({ length: ROWS_PER_STATEMENT }, () => tuple).join(',')} ${tail}`,
  );
  const one = sqlite.prepare(`${head} VALUES ${tuple} ${tail}`);
  const chunkLength = columns * ROWS_PER_STATEMENT;
  return (values) => {
    let start = 0;
    for (; start + chunkLength <= values.length; start += chunkLength)
      many.run(values.slice(start, start + chunkLength));
    for (; start < values.length; start += columns) one.run(values.slice(start, start + columns));
  };
}
