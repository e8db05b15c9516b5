// The template management API: list (cursor paging), create (submit for approval), read one
// (reference/cloud-api.md §5). Low volume, so answers are checked with zod.
import type { Dispatcher } from 'undici';
import { callGraph } from './graph-call.ts';
import {
  createTemplateResponseSchema,
  templateListPageSchema,
  templateSchema,
  type WireCreateTemplateRequest,
  type WireTemplateComponentDef,
  type WireTemplateInfo,
} from './wire-templates.ts';

/** A template as Chorus keeps it. */
export interface TemplateInfo {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  /** POSITIONAL when Meta gives none (§5 "with no parameter_format the default is positional"). */
  parameterFormat: 'NAMED' | 'POSITIONAL';
  components: WireTemplateComponentDef[];
  /** GREEN, YELLOW, RED or UNKNOWN; null when Meta gives none. */
  qualityScore: string | null;
  previousCategory: string | null;
}

/** Where the WABA's templates live. */
export interface TemplatesApiOptions {
  graphUrl: string;
  apiVersion: string;
  wabaId: string;
  accessToken: string;
  timeoutMs?: number;
  /** undici dispatcher; the global one when absent. */
  dispatcher?: Dispatcher;
}

const FIELDS = 'id,name,language,status,category,previous_category,parameter_format,components,quality_score';
const PAGE_LIMIT = 100;
const MAX_PAGES = 1_000;

/** Lists, creates and reads a WABA's message templates. */
export class TemplatesApi {
  readonly #o: TemplatesApiOptions;
  readonly #base: string;

  constructor(options: TemplatesApiOptions) {
    this.#o = options;
    this.#base = `${options.graphUrl.replace(/\/+$/, '')}/${options.apiVersion}`;
  }

  /** Every template of the WABA, following `paging.next` / `paging.cursors.after` to the end. */
  async listTemplates(signal: AbortSignal): Promise<TemplateInfo[]> {
    const out: TemplateInfo[] = [];
    const seen = new Set<string>();
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const query = new URLSearchParams({ fields: FIELDS, limit: String(PAGE_LIMIT) });
      if (after !== undefined) query.set('after', after);
      const url = `${this.#base}/${encodeURIComponent(this.#o.wabaId)}/message_templates?${query}`;
      const parsed = templateListPageSchema.parse(await this.#call('list templates', 'GET', url, undefined, signal));
      for (const t of parsed.data) out.push(toTemplateInfo(t));
      // Meta keeps `cursors.after` on the last page; only `next` says there is more (§5).
      after = parsed.paging?.next === undefined ? undefined : parsed.paging.cursors?.after;
      if (after === undefined || parsed.data.length === 0 || seen.has(after)) return out;
      seen.add(after);
    }
    return out;
  }

  /** Submits a template for approval; answers its id and status (usually PENDING). */
  async createTemplate(
    template: WireCreateTemplateRequest,
    signal: AbortSignal,
  ): Promise<{ id: string; status: string; category: string | null }> {
    const url = `${this.#base}/${encodeURIComponent(this.#o.wabaId)}/message_templates`;
    const answer = createTemplateResponseSchema.parse(
      await this.#call('create template', 'POST', url, template, signal),
    );
    return { id: answer.id, status: answer.status ?? 'PENDING', category: answer.category ?? null };
  }

  /** Reads one template's status, category, quality and parameter format by id. */
  async getTemplate(templateId: string, signal: AbortSignal): Promise<TemplateInfo> {
    const url = `${this.#base}/${encodeURIComponent(templateId)}?fields=${FIELDS}`;
    return toTemplateInfo(templateSchema.parse(await this.#call('read template', 'GET', url, undefined, signal)));
  }

  async #call(what: string, method: 'GET' | 'POST', url: string, body: unknown, signal: AbortSignal): Promise<unknown> {
    const { accessToken, dispatcher } = this.#o;
    const timeoutMs = this.#o.timeoutMs ?? 30_000;
    return (await callGraph({ what, method, url, accessToken, body, signal, timeoutMs, dispatcher })).json;
  }
}

/** Meta's list shape → TemplateInfo. */
export function toTemplateInfo(t: WireTemplateInfo): TemplateInfo {
  return {
    id: t.id,
    name: t.name ?? '',
    language: t.language ?? '',
    status: t.status ?? 'UNKNOWN',
    category: t.category ?? 'UNKNOWN',
    parameterFormat: t.parameter_format === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    components: (t.components ?? []) as WireTemplateComponentDef[],
    qualityScore: t.quality_score?.score ?? null,
    previousCategory: t.previous_category ?? null,
  };
}
