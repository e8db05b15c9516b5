// What a file column can mean on import: the contacts CSV's own columns (docs/contacts.md), a
// custom attribute, or nothing. The server reads the same names; it keeps the final word.

import { KNOWN_COLUMNS as CONTACT_COLUMNS } from '../../../../src/domain/csv-layout.ts';

/** A column's meaning: a contact column, `attr.NAME`, or `skip`. */
export type ColumnTarget = string;

/** The meaning the server gives a header name when no mapping says otherwise. */
export function defaultTarget(header: string): ColumnTarget {
  const name = header.trim();
  const canonical = name.toLowerCase().replace(/[\s-]+/g, '_');
  if ((CONTACT_COLUMNS as readonly string[]).includes(canonical)) return canonical;
  return name === '' ? 'skip' : `attr.${name}`;
}

/** The choices for one column of the file, its own attribute name among them. */
export function targetOptions(header: string): { value: ColumnTarget; label: string }[] {
  const name = header.trim();
  const own = defaultTarget(header);
  return [
    ...CONTACT_COLUMNS.map((column) => ({ value: column as string, label: column })),
    ...(own.startsWith('attr.') ? [{ value: own, label: `Attribute "${name}"` }] : []),
    { value: 'skip', label: 'Do not import' },
  ];
}

/** The mapping to send: only the columns whose meaning the person changed. */
export function changedMapping(headers: readonly string[], chosen: readonly ColumnTarget[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const [index, header] of headers.entries()) {
    const target = chosen[index];
    if (target !== undefined && target !== defaultTarget(header)) mapping[header.trim()] = target;
  }
  return mapping;
}
