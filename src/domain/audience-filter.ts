import { type AttributeValue, attributeValue } from './params.ts';

/** Attribute filters of an audience: every named attribute must equal one of the listed values. */
export type AttributeFilter = Readonly<Record<string, string | readonly string[]>>;

/** True when the contact's attributes pass every filter (case-insensitive values, trimmed). */
export function matchesAttributes(
  attributes: Readonly<Record<string, AttributeValue>> | undefined,
  filter: AttributeFilter,
): boolean {
  for (const [name, wanted] of Object.entries(filter)) {
    const value = attributeValue(attributes, name)?.trim().toLowerCase();
    if (value === undefined) return false;
    const options = typeof wanted === 'string' ? [wanted] : wanted;
    if (!options.some((option) => option.trim().toLowerCase() === value)) return false;
  }
  return true;
}
