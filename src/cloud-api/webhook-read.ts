// Small, allocation-free readers the webhook parser uses instead of a schema library: the parser
// sees thousands of events/s and must never throw on odd content.
import { classifyMetaError } from './error-catalogue.ts';
import type { WebhookError } from './webhook-events.ts';

/** A plain JSON object, for reading fields. */
export type Json = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value if it is a non-empty string, else null. */
export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** A string or a finite number as a string (Meta sends template ids as numbers), else null. */
export function idString(v: unknown): string | null {
  if (typeof v === 'string' && v !== '') return v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : null;
}

/** Unix seconds (string or number) as milliseconds, or null when absent or not a number. */
export function secondsToMs(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n * 1000 : null;
}

/** The array, or an empty one. */
export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : EMPTY;
}
const EMPTY: readonly unknown[] = Object.freeze([]);

/** Reads Meta's `errors[]` items (SPEC StatusError) and classifies each by code. */
export function readErrors(v: unknown): WebhookError[] {
  const list = arr(v);
  if (list.length === 0) return [];
  const out: WebhookError[] = [];
  for (const item of list) {
    if (!isObject(item)) continue;
    const code = typeof item.code === 'number' ? item.code : null;
    const data = item.error_data;
    out.push({
      code,
      errorClass: code === null ? null : classifyMetaError(code),
      title: str(item.title),
      message: str(item.message),
      details: isObject(data) ? str(data.details) : null,
    });
  }
  return out;
}
