import type { Kysely } from 'kysely';
import {
  AUDIT_ACTIONS,
  AUDIT_ACTOR_TYPES,
  type AuditActor,
  type AuditActorType,
  type AuditEntry,
} from '../domain/audit.ts';
import { AppError } from '../domain/errors.ts';
import { type AuditFilter, type AuditRow, insertAuditEntry, pageAuditEntries } from '../store/audit-repo.ts';
import type { DB } from '../store/schema.ts';
import { toCsvLines } from './csv-output.ts';
import { decodeCursor, type Page, toPage } from './cursor.ts';

/** Records one entry in the audit log: call it where the action happened, once it succeeded. */
export function recordAudit(db: Kysely<DB>, entry: AuditEntry, now: number): Promise<void> {
  return insertAuditEntry(db, entry, now);
}

/** An audit entry as the API shows it. */
export interface AuditView {
  id: string;
  at: string;
  actor: AuditActor;
  action: string;
  target: { type: string; id: string } | null;
  details: Record<string, unknown>;
  ip: string | null;
}

const ACTION_GROUPS = new Set(AUDIT_ACTIONS.map((a) => a.split('.')[0]));

/**
 * Reads the list filters: `action` is an action (`campaign.start`) or a group (`campaign`);
 * `actor` is a type (`user`, `api_key`, `cli`, `system`), a type and id (`user:3`), or a label (an email).
 */
export function parseAuditFilter(query: { action?: string; actor?: string }): AuditFilter {
  const filter: AuditFilter = {};
  const { action, actor } = query;
  if (action) {
    if ((AUDIT_ACTIONS as readonly string[]).includes(action)) filter.action = { exact: action };
    else if (ACTION_GROUPS.has(action)) filter.action = { prefix: action };
    else throw new AppError('validation_failed', `action: no audited action or group "${action}"`, { field: 'action' });
  }
  if (actor) {
    const [type, id] = actor.split(':', 2) as [string, string | undefined];
    const isType = (AUDIT_ACTOR_TYPES as readonly string[]).includes(type);
    filter.actor = isType ? { type: type as AuditActorType, ...(id ? { id } : {}) } : { label: actor.toLowerCase() };
  }
  return filter;
}

function viewOf(row: AuditRow): AuditView {
  return {
    id: String(row.id),
    at: new Date(row.at).toISOString(),
    actor: { type: row.actor_type, id: row.actor_id, label: row.actor_label },
    action: row.action,
    target: row.target_type === null ? null : { type: row.target_type, id: row.target_id ?? '' },
    details: JSON.parse(row.details) as Record<string, unknown>,
    ip: row.ip,
  };
}

/** One page of the audit log, newest first. */
export async function listAuditPage(
  db: Kysely<DB>,
  filter: AuditFilter,
  page: { cursor?: string; limit: number },
): Promise<Page<AuditView>> {
  const rows = await pageAuditEntries(db, filter, { beforeId: decodeCursor(page.cursor), limit: page.limit + 1 });
  return toPage(rows, page.limit, (pageRows) => pageRows.map(viewOf));
}

const CSV_COLUMNS = [
  'id',
  'at',
  'actor_type',
  'actor_id',
  'actor',
  'action',
  'target_type',
  'target_id',
  'details',
  'ip',
];
const CSV_PAGE = 1_000;

/** The audit log as CSV, newest first, streamed page by page; no cell can run as a spreadsheet formula. */
export async function* auditCsv(db: Kysely<DB>, filter: AuditFilter): AsyncGenerator<string> {
  yield toCsvLines([CSV_COLUMNS]);
  for (let beforeId = 0; ; ) {
    const rows = await pageAuditEntries(db, filter, { beforeId, limit: CSV_PAGE });
    if (rows.length === 0) return;
    yield toCsvLines(
      rows.map((r) => [
        String(r.id),
        new Date(r.at).toISOString(),
        r.actor_type,
        r.actor_id ?? '',
        r.actor_label,
        r.action,
        r.target_type ?? '',
        r.target_id ?? '',
        r.details === '{}' ? '' : r.details,
        r.ip ?? '',
      ]),
    );
    beforeId = rows.at(-1)?.id ?? 0;
  }
}
