import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Role } from '../domain/roles.ts';
import { type ActiveApiKey, findActiveApiKey, insertApiKey, touchApiKey } from '../store/api-keys-repo.ts';
import type { DB } from '../store/schema.ts';

const KEY_PREFIX = 'chorus_';

/** SHA-256 of a long random secret (an API key, a session token): enough, and lookups stay O(1). */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new key to create: what it is for, what it may do, and who asked. */
export interface NewApiKey {
  name: string;
  role: Role;
  createdBy: string;
}

/** Makes a new random key, stores only its hash, and returns the key once. */
export async function createApiKey(
  db: Kysely<DB>,
  key: NewApiKey,
  now: number,
): Promise<{ id: number; key: string; prefix: string }> {
  const secret = KEY_PREFIX + randomBytes(24).toString('base64url');
  const prefix = secret.slice(0, 12);
  const id = await insertApiKey(db, { ...key, keyHash: hashSecretToken(secret), prefix, now });
  return { id, key: secret, prefix };
}

/** Stores CHORUS_API_KEY as an admin key so it is accepted; idempotent across restarts. */
export async function seedApiKey(db: Kysely<DB>, key: string, now: number): Promise<number> {
  return insertApiKey(db, {
    name: 'CHORUS_API_KEY',
    keyHash: hashSecretToken(key),
    prefix: key.slice(0, 6),
    role: 'admin',
    createdBy: 'CHORUS_API_KEY',
    now,
  });
}

const CACHE_TTL_MS = 30_000;
const TOUCH_EVERY_MS = 60_000;

/**
 * Checks bearer keys against the store, caching answers briefly so the hot path skips the
 * database. A key revoked in this process is refused at once (forget()); another process
 * notices within CACHE_TTL_MS.
 */
export class ApiKeyVerifier {
  private readonly cache = new Map<string, { key: ActiveApiKey | undefined; checkedAt: number; touchedAt: number }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The key's id, name and role when it is active, else undefined. */
  async verify(secret: string): Promise<ActiveApiKey | undefined> {
    const now = this.clock();
    const hash = hashSecretToken(secret);
    let entry = this.cache.get(hash);
    if (!entry || now - entry.checkedAt > CACHE_TTL_MS) {
      entry = { key: await findActiveApiKey(this.db, hash), checkedAt: now, touchedAt: entry?.touchedAt ?? 0 };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, entry);
    }
    if (entry.key !== undefined && now - entry.touchedAt > TOUCH_EVERY_MS) {
      entry.touchedAt = now;
      await touchApiKey(this.db, entry.key.id, now);
    }
    return entry.key;
  }

  /** Forgets cached answers, e.g. after a key is revoked. */
  forget(): void {
    this.cache.clear();
  }
}
