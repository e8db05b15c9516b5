import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** A stored API key, without its hash. */
export interface ApiKeyRecord {
  id: number;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/**
 * Stores a key's hash; a hash that is already there (the seeded key on every start) is kept as it
 * is, revoked or not. Answers the key's id and whether it is revoked.
 */
export async function insertApiKey(
  db: Kysely<DB>,
  key: { name: string; keyHash: string; prefix: string; now: number },
): Promise<{ id: number; isRevoked: boolean }> {
  await db
    .insertInto('api_keys')
    .values({ name: key.name, key_hash: key.keyHash, prefix: key.prefix, created_at: key.now })
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

/** The id of the active key with this hash, if any. */
export async function findActiveApiKeyId(db: Kysely<DB>, keyHash: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select('id')
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.id;
}

/** Notes when a key was last used (at most once a minute per key, by the caller). */
export async function touchApiKey(db: Kysely<DB>, id: number, now: number): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}

/** Every key, newest first. */
export async function listApiKeys(db: Kysely<DB>): Promise<ApiKeyRecord[]> {
  const rows = await db.selectFrom('api_keys').selectAll().orderBy('id', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
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
