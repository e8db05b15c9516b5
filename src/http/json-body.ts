import type { MiddlewareHandler } from 'hono';
import { AppError } from '../domain/errors.ts';
import { unstorableTextReason } from '../domain/stored-text.ts';
import { limitBody } from './body-limit.ts';
import { errorResponse } from './on-error.ts';

// Every JSON body of the API is checked once, here, before a route's schema sees it: its size,
// that it is UTF-8, how deep it nests, that it parses, and that no string holds what no database
// column may keep. The route then reads the same bytes from Hono's body cache.

/** Bodies larger than this are refused on JSON endpoints; imports and webhooks set their own limits. */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

/** No API body nests more than a handful of levels; deeper is a mistake or an attack on a parser. */
export const MAX_JSON_DEPTH = 32;

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

const limitSize = limitBody(JSON_BODY_LIMIT_BYTES, (c) =>
  errorResponse(c, new AppError('payload_too_large', `JSON bodies are limited to ${JSON_BODY_LIMIT_BYTES} bytes`)),
);

/** The size limit, then the content checks, on requests that say they carry JSON. */
export const guardJsonBody: MiddlewareHandler = async (c, next) => {
  if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) return next();
  return limitSize(c, async () => {
    checkJsonText(decodeUtf8(new Uint8Array(await c.req.arrayBuffer())));
    await next();
  });
};

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw new AppError('validation_failed', 'body: not valid UTF-8 (send JSON encoded as UTF-8)', { field: 'body' });
  }
}

/** Refuses JSON that nests too deep, does not parse, or holds a string no column may store. */
export function checkJsonText(text: string): void {
  // An empty body is the route's to judge (e.g. POST …/start needs none).
  if (text.trim() === '') return;
  const depth = maxDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw new AppError('validation_failed', `body: JSON nested ${depth} levels deep; at most ${MAX_JSON_DEPTH}`, {
      field: 'body',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('validation_failed', `body: malformed JSON (${(error as Error).message})`, { field: 'body' });
  }
  const bad = findUnstorable(value, []);
  if (bad) throw new AppError('validation_failed', `${bad.field}: ${bad.reason}`, { field: bad.field });
}

// Bracket depth outside strings, in one pass, so a 1 MB "[[[[…" is refused before any parser recurses.
function maxDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) max = Math.max(max, ++depth);
    else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return max;
}

function findUnstorable(value: unknown, path: string[]): { field: string; reason: string } | undefined {
  const field = () => (path.length === 0 ? 'body' : path.join('.'));
  if (typeof value === 'string') {
    const reason = unstorableTextReason(value);
    return reason ? { field: field(), reason } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const keyReason = unstorableTextReason(key);
    if (keyReason) return { field: field(), reason: `a key ${keyReason}` };
    const found = findUnstorable(item, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
