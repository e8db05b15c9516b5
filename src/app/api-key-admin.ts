import type { Kysely } from 'kysely';
import type { AuditSource } from '../domain/audit.ts';
import { AppError } from '../domain/errors.ts';
import type { Role } from '../domain/roles.ts';
import { type ApiKeyRecord, getApiKey, listApiKeys, revokeApiKey } from '../store/api-keys-repo.ts';
import type { DB } from '../store/schema.ts';
import { createApiKey } from './api-keys.ts';
import { recordAudit } from './audit.ts';
import { decodeCursor, type Page, toPage } from './cursor.ts';
import { iso } from './iso-time.ts';

/** An API key as the API lists it: never the key itself, only its first characters. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

function viewApiKey(key: ApiKeyRecord): ApiKeyView {
  return {
    id: String(key.id),
    name: key.name,
    prefix: key.prefix,
    role: key.role,
    created_by: key.createdBy,
    created_at: new Date(key.createdAt).toISOString(),
    last_used_at: iso(key.lastUsedAt),
    revoked_at: iso(key.revokedAt),
  };
}

/** One page of API keys, newest first. */
export async function listApiKeysPage(
  db: Kysely<DB>,
  page: { cursor?: string; limit: number },
): Promise<Page<ApiKeyView>> {
  const rows = await listApiKeys(db, { beforeId: decodeCursor(page.cursor), limit: page.limit + 1 });
  return toPage(rows, page.limit, (pageRows) => pageRows.map(viewApiKey));
}

/** Creates a key for `by` and records it; the key itself is in the answer only. */
export async function issueApiKey(
  db: Kysely<DB>,
  input: { name: string; role: Role },
  by: AuditSource,
  now: number,
): Promise<ApiKeyView & { key: string }> {
  const created = await createApiKey(db, { ...input, createdBy: by.actor.label }, now);
  await recordAudit(
    db,
    {
      ...by,
      action: 'api_key.create',
      target: apiKeyTarget(created.id),
      details: { name: input.name, role: input.role, prefix: created.prefix },
    },
    now,
  );
  const stored = await getApiKey(db, created.id);
  if (!stored) throw new AppError('internal', `API key #${created.id} vanished after it was created`);
  return { ...viewApiKey(stored), key: created.key };
}

/** Revokes a key and records it; 404 when there is no active key with this id. */
export async function withdrawApiKey(db: Kysely<DB>, id: number, by: AuditSource, now: number): Promise<void> {
  if (!(await revokeApiKey(db, id, now))) throw new AppError('not_found', `no active API key #${id}`, { field: 'id' });
  await recordAudit(db, { ...by, action: 'api_key.revoke', target: apiKeyTarget(id) }, now);
}

function apiKeyTarget(id: number) {
  return { type: 'api_key', id: String(id) };
}
