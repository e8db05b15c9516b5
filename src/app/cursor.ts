import { AppError } from '../domain/errors.ts';

/** One page of a list, as every list endpoint answers. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Encodes a keyset position (the last id of a page) as an opaque cursor. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(JSON.stringify({ at: lastId })).toString('base64url');
}

/** Decodes a cursor from encodeCursor (0 when absent); a forged or stale one is a 400 naming `cursor`. */
export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  try {
    const { at } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at?: unknown };
    if (typeof at === 'number' && Number.isSafeInteger(at) && at >= 0) return at;
  } catch {
    // Falls through to the error below.
  }
  throw new AppError('validation_failed', 'cursor is not one this API gave out', { field: 'cursor' });
}

/**
 * Makes a page from rows fetched with `limit + 1`: the extra row only says there is more, so a
 * cursor never leads to an empty page.
 */
export function toPage<R extends { id: number }, T>(rows: R[], limit: number, view: (pageRows: R[]) => T[]): Page<T> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return { data: view(pageRows), next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
