import type { TemplateDefinition } from '../domain/template.ts';
import type { Database } from '../store/db.ts';
import type { Sender } from '../store/senders-repo.ts';
import { listTemplates, type StoredTemplate, upsertTemplates } from '../store/templates-repo.ts';

/** Where templates come from: every template of the sender's WABA, all pages. */
export type TemplateSource = (signal: AbortSignal) => Promise<TemplateDefinition[]>;

/** What a sync stored. */
export interface SyncReport {
  synced: number;
  by_status: Record<string, number>;
  templates: StoredTemplate[];
}

/** Fetches every template of the sender's WABA and stores it, refreshing status, category and quality. */
export async function syncTemplates(
  database: Database,
  sender: Sender,
  source: TemplateSource,
  now: number,
  signal: AbortSignal,
): Promise<SyncReport> {
  const fetched = await source(signal);
  await upsertTemplates(database.db, sender.businessAccountId, fetched, now);
  const templates = await listTemplates(database.db, sender.businessAccountId);
  const byStatus: Record<string, number> = {};
  for (const t of fetched) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
  return { synced: fetched.length, by_status: byStatus, templates };
}
