import type { ConsentPurpose } from '../domain/consent.ts';
import type { ParsedBatch, PendingRow } from './row-batches.ts';

/** A ParsedBatch as it crosses threads: rows as one flat array of primitives. */
export interface EncodedBatch extends Omit<ParsedBatch, 'rows'> {
  cells: (string | number | null)[];
}

// Structured clone of one flat array of strings and numbers costs a fraction of cloning an
// object (and a tags array, and a grant) per row.

/** Flattens a batch for postMessage. */
export function encodeBatch({ rows, ...counts }: ParsedBatch): EncodedBatch {
  const cells: (string | number | null)[] = [];
  for (const r of rows) {
    const g = r.grant;
    cells.push(r.line, r.phone, r.firstName, r.lastName, r.language, r.attributesJson);
    cells.push(g ? g.occurredAt : null, g ? g.source : null, g ? g.purpose : null, r.tags.length, ...r.tags);
  }
  return { ...counts, cells };
}

/** Rebuilds the rows of an encoded batch. */
export function decodeBatch({ cells, ...counts }: EncodedBatch): ParsedBatch {
  const rows: PendingRow[] = [];
  let i = 0;
  const next = () => cells[i++] ?? null;
  while (i < cells.length) {
    const line = next() as number;
    const phone = next() as string;
    const firstName = next() as string | null;
    const lastName = next() as string | null;
    const language = next() as string | null;
    const attributesJson = next() as string;
    const occurredAt = next() as number | null;
    const source = next() as string;
    const purpose = next() as ConsentPurpose;
    const tagCount = next() as number;
    const tags = cells.slice(i, i + tagCount) as string[];
    i += tagCount;
    const grant = occurredAt === null ? null : { occurredAt, source, purpose };
    rows.push({ line, phone, firstName, lastName, language, tags, attributesJson, grant });
  }
  return { ...counts, rows };
}
