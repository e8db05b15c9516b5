import type { StoredTemplate } from '../store/templates-repo.ts';

/** A template as the API and the CLI show it. */
export type TemplateJson = ReturnType<typeof templateJson>;

/** The JSON shape of a stored template (snake_case, ISO times). */
export function templateJson(t: StoredTemplate) {
  return {
    id: t.id ?? null,
    business_account_id: t.businessAccountId,
    name: t.name,
    language: t.language,
    status: t.status,
    status_reason: t.statusReason,
    category: t.category,
    parameter_format: t.parameterFormat,
    quality_score: t.qualityScore ?? null,
    components: t.components,
    synced_at: new Date(t.syncedAt).toISOString(),
  };
}
