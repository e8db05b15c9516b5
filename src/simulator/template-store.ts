// The templates of the simulated WABA: lookup for sends, cursor paging, status changes.
import { GraphError } from './graph-errors.ts';
import { specOf, type TemplateSpec } from './template-spec.ts';
import type { SimTemplate, SimTemplateStatus } from './types.ts';

/** A template with its id and its precomputed send expectations. */
export interface StoredTemplate {
  template: SimTemplate & { id: string };
  spec: TemplateSpec;
}

/** Called when a template's status changes, to emit message_template_status_update. */
export type TemplateStatusListener = (
  template: SimTemplate & { id: string },
  reason: string,
  previous: SimTemplateStatus,
) => void;

/** One page of the template list, in Meta's shape (§5). */
export interface TemplatePage {
  data: (SimTemplate & { id: string })[];
  cursors: { before: string; after: string } | undefined;
  hasNext: boolean;
  hasPrevious: boolean;
}

const encodeCursor = (id: string) => Buffer.from(`tpl:${id}`).toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString().replace(/^tpl:/, '');

/** In-memory template store keyed by id and by name + language. */
export class TemplateStore {
  private readonly byId = new Map<string, StoredTemplate>();
  private readonly idByKey = new Map<string, string>();
  private nextId = 1_000_000_000_000_001;

  constructor(private readonly onStatusChange: TemplateStatusListener) {}

  /** Adds or replaces (same name + language) a template; ids are numeric strings like Meta's. */
  upsert(input: SimTemplate): SimTemplate & { id: string } {
    const key = `${input.name}\u0000${input.language}`;
    const id = input.id ?? this.idByKey.get(key) ?? String(this.nextId++);
    const template = { ...input, id };
    this.byId.set(id, { template, spec: specOf(template) });
    this.idByKey.set(key, id);
    return template;
  }

  /** The template of that name in that language. */
  find(name: string, language: string): StoredTemplate | undefined {
    const id = this.idByKey.get(`${name}\u0000${language}`);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** The template with that id. */
  get(id: string): StoredTemplate | undefined {
    return this.byId.get(id);
  }

  /** Whether a name exists in a language (creation refuses duplicates). */
  has(name: string, language: string): boolean {
    return this.idByKey.has(`${name}\u0000${language}`);
  }

  /** Changes a status and tells the listener (webhook). */
  setStatus(ref: { id?: string; name?: string; language?: string }, status: SimTemplateStatus, reason = 'NONE') {
    const stored = ref.id !== undefined ? this.get(ref.id) : this.find(ref.name ?? '', ref.language ?? 'en_US');
    if (stored === undefined)
      throw new GraphError(100, `Template ${JSON.stringify(ref)} does not exist.`, { subcode: 33 });
    const previous = stored.template.status;
    stored.template.status = status;
    this.onStatusChange(stored.template, reason, previous);
    return stored.template;
  }

  /** A page of templates after/before a cursor, filtered like Meta's list (name, status, language). */
  page(query: {
    limit: number;
    after?: string;
    before?: string;
    name?: string;
    status?: string;
    language?: string;
  }): TemplatePage {
    const all = [...this.byId.values()]
      .map((s) => s.template)
      .filter(
        (t) =>
          (query.name === undefined || t.name === query.name) &&
          (query.status === undefined || t.status === query.status),
      )
      .filter((t) => query.language === undefined || t.language === query.language);
    let start = 0;
    let end = all.length;
    if (query.after !== undefined) start = all.findIndex((t) => t.id === decodeCursor(query.after as string)) + 1;
    if (query.before !== undefined) {
      end = Math.max(
        0,
        all.findIndex((t) => t.id === decodeCursor(query.before as string)),
      );
      start = Math.max(0, end - query.limit);
    }
    const data = all.slice(start, Math.min(end, start + query.limit));
    const first = data[0];
    const last = data[data.length - 1];
    return {
      data,
      cursors: first && last ? { before: encodeCursor(first.id), after: encodeCursor(last.id) } : undefined,
      hasNext: start + data.length < all.length,
      hasPrevious: start > 0,
    };
  }
}
