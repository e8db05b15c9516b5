import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { findActiveApiKeyId, insertApiKey, touchApiKey } from '../store/api-keys-repo.ts';
import type { DB } from '../store/schema.ts';

const KEY_PREFIX = 'chorus_';

/** SHA-256 of a key: keys are long and random, so a fast hash is enough and lookups stay O(1). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Makes a new random key, stores only its hash, and returns the key once. */
export async function createApiKey(db: Kysely<DB>, name: string, now: number): Promise<{ id: number; key: string }> {
  const key = KEY_PREFIX + randomBytes(24).toString('base64url');
  const id = await insertApiKey(db, { name, keyHash: hashApiKey(key), prefix: key.slice(0, 12), now });
  return { id, key };
}

/** Stores CHORUS_API_KEY so it is accepted; idempotent across restarts. */
export async function seedApiKey(db: Kysely<DB>, key: string, now: number): Promise<number> {
  return insertApiKey(db, { name: 'CHORUS_API_KEY', keyHash: hashApiKey(key), prefix: key.slice(0, 6), now });
}

const CACHE_TTL_MS = 30_000;
const TOUCH_EVERY_MS = 60_000;

/** Checks bearer keys against the store, caching answers briefly so the hot path skips the database. */
export class ApiKeyVerifier {
  private readonly cache = new Map<string, { id: number | undefined; checkedAt: number; touchedAt: number }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The key's id when it is active, else undefined. */
  async verify(key: string): Promise<number | undefined> {
    const now = this.clock();
    const hash = hashApiKey(key);
    let entry = this.cache.get(hash);
    if (!entry || now - entry.checkedAt > CACHE_TTL_MS) {
      entry = { id: await findActiveApiKeyId(this.db, hash), checkedAt: now, touchedAt: entry?.touchedAt ?? 0 };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, entry);
    }
    if (entry.id !== undefined && now - entry.touchedAt > TOUCH_EVERY_MS) {
      entry.touchedAt = now;
      await touchApiKey(this.db, entry.id, now);
    }
    return entry.id;
  }

  /** Forgets cached answers, e.g. after a key is revoked. */
  forget(): void {
    this.cache.clear();
  }
}
