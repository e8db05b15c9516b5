import { z } from 'zod';
import { canonicalName, KNOWN_COLUMNS } from './csv-layout.ts';
import { AppError } from './errors.ts';

/** What a person chose a file column to mean: a known contact field, a custom attribute, or nothing. */
export type ColumnTarget = (typeof KNOWN_COLUMNS)[number] | `attr.${string}` | 'skip';

/** File column name → its meaning. Columns left out keep the meaning their header gives them. */
export type ColumnMapping = Record<string, ColumnTarget>;

const ATTRIBUTE_PATTERN = /^attr\.[^\s.][^\n]{0,99}$/;

const targetSchema = z.union([
  z.enum(KNOWN_COLUMNS),
  z.literal('skip'),
  z.string().regex(ATTRIBUTE_PATTERN, `a known column (${KNOWN_COLUMNS.join(', ')}), attr.NAME or skip`),
]);
const mappingSchema = z.record(z.string().min(1).max(200), targetSchema);

/**
 * Reads the `mapping` option of an import: a JSON object from file column to target. Anything
 * else is a validation error naming `mapping`, or `mapping.COLUMN` for one bad target.
 */
export function parseColumnMapping(json: string): ColumnMapping {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new AppError('validation_failed', 'mapping must be a JSON object like {"Mobile":"phone"}', {
      field: 'mapping',
    });
  }
  const parsed = mappingSchema.safeParse(value);
  if (parsed.success) return refuseKnownAttributes(parsed.data as ColumnMapping);
  const issue = parsed.error.issues[0];
  const column = issue?.path[0];
  const field = column === undefined ? 'mapping' : `mapping.${String(column)}`;
  throw new AppError('validation_failed', `${field}: ${issue?.message ?? 'is not valid'}`, { field });
}

// attr.phone would be read back as the phone column by the header reader.
function refuseKnownAttributes(mapping: ColumnMapping): ColumnMapping {
  for (const [column, target] of Object.entries(mapping)) {
    const name = target.startsWith('attr.') ? canonicalName(target.slice(5)) : undefined;
    if (name !== undefined && (KNOWN_COLUMNS as readonly string[]).includes(name)) {
      throw new AppError('validation_failed', `mapping.${column}: map to ${name} itself, not to an attribute`, {
        field: `mapping.${column}`,
      });
    }
  }
  return mapping;
}

/**
 * The header as the mapping renames it: a mapped column takes its target's name, a skipped
 * one an empty name (which the header reader ignores). A mapping that names a column the file
 * lacks, or gives two columns one meaning, is an `invalid_csv` error naming `mapping`.
 */
export function applyColumnMapping(header: readonly string[], mapping: ColumnMapping): string[] {
  const present = new Set(header.map((name) => name.trim()));
  for (const column of Object.keys(mapping)) {
    if (!present.has(column)) {
      throw new AppError('invalid_csv', `mapping.${column}: the file has no column "${column}"`, {
        field: `mapping.${column}`,
      });
    }
  }
  const renamed = header.map((name) => {
    const target = mapping[name.trim()];
    if (target === undefined) return name;
    if (target === 'skip') return '';
    return target.startsWith('attr.') ? target.slice(5) : target;
  });
  const meaningOf = new Map<string, string>();
  for (const [index, name] of renamed.entries()) {
    if (name.trim() === '') continue;
    const meaning = canonicalName(name);
    const other = meaningOf.get(meaning);
    if (other !== undefined) {
      throw new AppError(
        'invalid_csv',
        `mapping: columns "${other}" and "${header[index]?.trim()}" would both be ${meaning}; skip one`,
        { field: 'mapping' },
      );
    }
    meaningOf.set(meaning, header[index]?.trim() ?? name);
  }
  return renamed;
}
