import type { Kysely, Selectable } from 'kysely';
import type { AuditActorType, AuditEntry } from '../domain/audit.ts';
import type { AuditLogTable, DB } from './schema.ts';

/** A stored audit entry. */
export type AuditRow = Selectable<AuditLogTable>;

/** Which entries a list shows: an action, or every action of a `what` (`campaign`: `campaign.*`), and an actor by type, type and id, or label. */
export interface AuditFilter {
  action?: { exact: string } | { prefix: string };
  actor?: { type: AuditActorType; id?: string } | { label: string };
}

/** Appends one entry. */
export async function insertAuditEntry(db: Kysely<DB>, entry: AuditEntry, now: number): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: now,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      actor_label: entry.actor.label,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      details: JSON.stringify(entry.details ?? {}),
      ip: entry.ip ?? null,
    })
    .execute();
}

/** Entries newest first, before `beforeId` (0: from the newest), `limit` of them. */
export async function pageAuditEntries(
  db: Kysely<DB>,
  filter: AuditFilter,
  page: { beforeId: number; limit: number },
): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(page.limit);
  if (page.beforeId > 0) query = query.where('id', '<', page.beforeId);
  const { action, actor } = filter;
  if (action && 'exact' in action) query = query.where('action', '=', action.exact);
  // `campaign.` up to (not including) `campaign/`: every `campaign.*` action, on the index, no LIKE wildcards.
  if (action && 'prefix' in action) {
    query = query.where('action', '>=', `${action.prefix}.`).where('action', '<', `${action.prefix}/`);
  }
  if (actor && 'label' in actor) query = query.where('actor_label', '=', actor.label);
  if (actor && 'type' in actor) {
    query = query.where('actor_type', '=', actor.type);
    if (actor.id !== undefined) query = query.where('actor_id', '=', actor.id);
  }
  return query.execute();
}
