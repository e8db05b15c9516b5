import { AppError } from '../domain/errors.ts';

/** Encodes a keyset position as an opaque cursor. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(JSON.stringify({ at: lastId })).toString('base64url');
}

/** Decodes a cursor from encodeCursor; a forged or stale one is a 400 naming `cursor`. */
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
