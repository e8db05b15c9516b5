// Template management: list with cursor paging, create with review, read one (reference §5).
import { answerError, answerOk, type GraphRequest } from './graph-context.ts';
import { GraphError } from './graph-errors.ts';
import { parseJson } from './http-io.ts';
import { parseTemplateCreation } from './template-create.ts';

const DEFAULT_PAGE_SIZE = 25;

/** GET /{v}/{waba-id}/message_templates: `limit`, `after`/`before` cursors, `name`, `status`, `language`. */
export function listTemplates(g: GraphRequest): void {
  const q = g.query;
  const limit = Math.min(Math.max(Number(q.get('limit') ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE, 1), 1000);
  const page = g.state.templates.page({
    limit,
    after: q.get('after') ?? undefined,
    before: q.get('before') ?? undefined,
    name: q.get('name') ?? undefined,
    status: q.get('status') ?? undefined,
    language: q.get('language') ?? undefined,
  });
  const paging: Record<string, unknown> = { cursors: page.cursors ?? { before: '', after: '' } };
  if (page.hasNext && page.cursors) paging.next = pageLink(g, 'after', page.cursors.after);
  if (page.hasPrevious && page.cursors) paging.previous = pageLink(g, 'before', page.cursors.before);
  answerOk(g, { data: page.data.map(publicTemplate), paging });
}

function pageLink(g: GraphRequest, direction: 'after' | 'before', cursor: string): string {
  const query = new URLSearchParams(g.query);
  query.delete('after');
  query.delete('before');
  query.delete('access_token');
  query.set(direction, cursor);
  return `${g.baseUrl}/${g.version}/${g.nodeId}/message_templates?${query.toString()}`;
}

/** POST /{v}/{waba-id}/message_templates: PENDING now, APPROVED or REJECTED after the review delay. */
export function createTemplate(g: GraphRequest, bodyText: string): void {
  const { state } = g;
  try {
    const input = parseTemplateCreation(parseJson(bodyText));
    if (state.templates.has(input.name, input.language)) {
      throw new GraphError(100, `Content in ${input.language} already exists for ${input.name}.`, { subcode: 2388024 });
    }
    const template = state.templates.upsert(input);
    state.atClock(state.clock() + state.behaviour.templateReviewDelayMs, () => {
      const isRejected = state.rng.chance(state.behaviour.templateRejectionRate);
      state.templates.setStatus(
        { id: template.id },
        isRejected ? 'REJECTED' : 'APPROVED',
        isRejected ? 'INVALID_FORMAT' : 'NONE',
      );
    });
    answerOk(g, { id: template.id, status: template.status, category: template.category });
  } catch (error) {
    if (error instanceof GraphError) answerError(g, error);
    else throw error;
  }
}

/** GET /{v}/{template-id}: one template (fields filter honoured), or false when the id is no template. */
export function readTemplate(g: GraphRequest): boolean {
  const stored = g.state.templates.get(g.nodeId);
  if (stored === undefined) return false;
  const full = publicTemplate(stored.template) as Record<string, unknown>;
  const fields = g.query.get('fields');
  const body = fields
    ? Object.fromEntries(['id', ...fields.split(',')].map((f) => [f, full[f]]).filter(([, v]) => v !== undefined))
    : full;
  answerOk(g, body);
  return true;
}

function publicTemplate(t: {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  parameter_format?: string;
  components: unknown[];
}) {
  return {
    name: t.name,
    parameter_format: t.parameter_format ?? 'POSITIONAL',
    components: t.components,
    language: t.language,
    status: t.status,
    category: t.category,
    id: t.id,
  };
}
