// Which parameters a template's body asks for, and the campaign params that fill them.
import type { CampaignInput, TemplateSummary } from '../../api/campaigns.ts';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The body's placeholders in order of first appearance: `1`, `2`… or names for NAMED templates. */
export function bodyPlaceholders(template: TemplateSummary | undefined): string[] {
  const body = template?.components.find((c) => c.type.toUpperCase() === 'BODY')?.text ?? '';
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** True when the template names its parameters instead of numbering them. */
export function isNamed(template: TemplateSummary | undefined): boolean {
  return template?.parameter_format?.toUpperCase() === 'NAMED';
}

/** The `params` of a campaign from one value per placeholder. */
export function paramsFrom(
  template: TemplateSummary | undefined,
  values: Record<string, string>,
): CampaignInput['params'] {
  const names = bodyPlaceholders(template);
  if (names.length === 0) return {};
  if (isNamed(template)) return { body: Object.fromEntries(names.map((n) => [n, values[n] ?? ''])) };
  const ordered = [...names].sort((a, b) => Number(a) - Number(b));
  return { body: ordered.map((n) => values[n] ?? '') };
}

/** The key a template is picked by in the wizard's list. */
export function templateKey(template: Pick<TemplateSummary, 'name' | 'language'>): string {
  return `${template.name}|${template.language}`;
}
