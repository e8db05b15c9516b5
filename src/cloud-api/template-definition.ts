import type { TemplateComponent, TemplateDefinition } from '../domain/template.ts';
import type { TemplateInfo } from './templates-api.ts';

/** Meta's template as the domain models it; unknown statuses and categories pass through as given. */
export function toTemplateDefinition(info: TemplateInfo): TemplateDefinition {
  return {
    id: info.id,
    name: info.name,
    language: info.language,
    status: info.status as TemplateDefinition['status'],
    category: info.category as TemplateDefinition['category'],
    parameterFormat: info.parameterFormat,
    components: info.components as TemplateComponent[],
    qualityScore: (info.qualityScore ?? undefined) as TemplateDefinition['qualityScore'],
  };
}
