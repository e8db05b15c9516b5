import type { Kysely, Selectable } from 'kysely';
import type { Role } from '../domain/roles.ts';
import type { ApiKeysTable, DB } from './schema.ts';

/** A stored API key, without its hash. */
export interface ApiKeyRecord {
  id: number;
  name: string;
  prefix: string;
  role: Role;
  createdBy: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** What a bearer request is allowed as. */
export interface ActiveApiKey {
  id: number;
  name: string;
  role: Role;
}

/**
 * Stores a key's hash; a hash that is already there (the seeded key on every start) is kept as it
 * is, revoked or not. Answers the key's id and whether it is revoked.
 */
export async function insertApiKey(
  db: Kysely<DB>,
  key: { name: string; keyHash: string; prefix: string; role: Role; createdBy: string | null; now: number },
): Promise<{ id: number; isRevoked: boolean }> {
  await db
    .insertInto('api_keys')
    .values({
      name: key.name,
      key_hash: key.keyHash,
      prefix: key.prefix,
      role: key.role,
      created_by: key.createdBy,
      created_at: key.now,
    })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .execute();
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'revoked_at'])
    .where('key_hash', '=', key.keyHash)
    .executeTakeFirstOrThrow();
  return { id: row.id, isRevoked: row.revoked_at !== null };
}

/** Revokes every active key of this name except the one with `keepHash`; answers how many. */
export async function revokeApiKeysNamed(
  db: Kysely<DB>,
  name: string,
  keepHash: string | undefined,
  now: number,
): Promise<number> {
  let query = db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('name', '=', name)
    .where('revoked_at', 'is', null);
  if (keepHash !== undefined) query = query.where('key_hash', '!=', keepHash);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The active key with this hash, if any. */
export async function findActiveApiKey(db: Kysely<DB>, keyHash: string): Promise<ActiveApiKey | undefined> {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'role'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Notes when a key was last used (at most once a minute per key, by the caller). */
export async function touchApiKey(db: Kysely<DB>, id: number, now: number): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}

/** The key with this id, revoked or not. */
export async function getApiKey(db: Kysely<DB>, id: number): Promise<ApiKeyRecord | undefined> {
  const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toApiKeyRecord(row);
}

/** Keys newest first, before `beforeId` (0: from the newest), `limit` of them. */
export async function listApiKeys(
  db: Kysely<DB>,
  page: { beforeId: number; limit: number } = { beforeId: 0, limit: 10_000 },
): Promise<ApiKeyRecord[]> {
  let query = db.selectFrom('api_keys').selectAll().orderBy('id', 'desc').limit(page.limit);
  if (page.beforeId > 0) query = query.where('id', '<', page.beforeId);
  return (await query.execute()).map(toApiKeyRecord);
}

function toApiKeyRecord(r: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    role: r.role,
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

/** Revokes a key; answers whether one was active. */
export async function revokeApiKey(db: Kysely<DB>, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
