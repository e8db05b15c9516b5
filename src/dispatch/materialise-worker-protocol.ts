import type { TemplateDefinition } from '../domain/template.ts';
import type { CampaignRecord, NewMessage } from '../store/campaigns-repo.ts';
import type { MaterialisedPage } from './materialise-pages.ts';

/** What the materialise worker is started with. */
export interface MaterialiseWorkerData {
  /** The SQLite file the worker reads the audience from, on a connection of its own. */
  path: string;
  campaign: CampaignRecord;
  template: TemplateDefinition;
  afterId: number;
  /** The caller's clock minus the worker's `Date.now()`: 0 in a server, a fixed time in tests. */
  clockOffsetMs: number;
  /** Pages the worker may read ahead of the writer before it waits for an ack. */
  pagesAhead: number;
}

/** A MaterialisedPage as it crosses threads: its rows as one flat array of primitives. */
export interface EncodedPage extends Omit<MaterialisedPage, 'messages'> {
  cells: (string | number | null)[];
}

/** Worker → main thread: a page, the end of the audience, or why the worker failed. */
export type FromMaterialiseWorker =
  | { type: 'page'; page: EncodedPage }
  | { type: 'done' }
  | { type: 'fail'; message: string };

const CELLS_PER_MESSAGE = 7;

// Structured clone of one flat array of strings and numbers costs a fraction of cloning an
// object per row.

/** Flattens a page for postMessage. */
export function encodePage(page: MaterialisedPage): EncodedPage {
  const cells: (string | number | null)[] = [];
  for (const m of page.messages) {
    cells.push(m.contactId, m.phone, m.status, m.statusReason, m.rendered, m.timeZone ?? null, m.nextAttemptAt);
  }
  return { throughId: page.throughId, isLast: page.isLast, now: page.now, cells };
}

/** Rebuilds the rows of an encoded page. */
export function decodePage(page: EncodedPage): MaterialisedPage {
  const { cells } = page;
  const messages: NewMessage[] = [];
  for (let i = 0; i < cells.length; i += CELLS_PER_MESSAGE) {
    messages.push({
      contactId: cells[i] as number,
      phone: cells[i + 1] as string,
      status: cells[i + 2] as NewMessage['status'],
      statusReason: cells[i + 3] as string | null,
      rendered: cells[i + 4] as string | null,
      timeZone: cells[i + 5] as string | null,
      nextAttemptAt: cells[i + 6] as number,
    });
  }
  return { messages, throughId: page.throughId, isLast: page.isLast, now: page.now };
}
