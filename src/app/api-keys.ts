import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../domain/errors.ts';
import type { Role } from '../domain/roles.ts';
import {
  type ActiveApiKey,
  findActiveApiKey,
  insertApiKey,
  revokeApiKeysNamed,
  touchApiKey,
} from '../store/api-keys-repo.ts';
import type { DB } from '../store/schema.ts';

const KEY_PREFIX = 'chorus_';
/** The name the key seeded from CHORUS_API_KEY is stored under. */
export const ENV_API_KEY_NAME = 'CHORUS_API_KEY';

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
  // The name marks the key the environment owns: a start replaces or revokes every key so named.
  if (key.name === ENV_API_KEY_NAME)
    throw new AppError('validation_failed', `the name ${ENV_API_KEY_NAME} is kept for the key set in the environment`, {
      field: 'name',
    });
  const secret = KEY_PREFIX + randomBytes(24).toString('base64url');
  const prefix = secret.slice(0, 12);
  const { id } = await insertApiKey(db, { ...key, keyHash: hashSecretToken(secret), prefix, now });
  return { id, key: secret, prefix };
}

/** What seeding CHORUS_API_KEY did. */
export interface EnvKeySeed {
  /** The key's id; undefined when CHORUS_API_KEY is unset. */
  id: number | undefined;
  /** Keys seeded from an earlier value of the variable (or before it was unset), revoked now. */
  revokedCount: number;
  /** True when this key had been revoked: revocation is final, so it stays refused. */
  isRevoked: boolean;
}

/**
 * Makes CHORUS_API_KEY the one key the environment owns, at each start, as an admin key: the key is
 * stored (once) and keys seeded from an earlier value are revoked, all of them when the variable is
 * unset. Keys made with `chorus apikeys create` or in the dashboard are left alone.
 */
export async function seedApiKey(db: Kysely<DB>, key: string | undefined, now: number): Promise<EnvKeySeed> {
  const keyHash = key === undefined ? undefined : hashSecretToken(key);
  return db.transaction().execute(async (tx) => {
    const revokedCount = await revokeApiKeysNamed(tx, ENV_API_KEY_NAME, keyHash, now);
    if (key === undefined || keyHash === undefined) return { id: undefined, revokedCount, isRevoked: false };
    const stored = await insertApiKey(tx, {
      name: ENV_API_KEY_NAME,
      keyHash,
      prefix: key.slice(0, 6),
      role: 'admin',
      createdBy: ENV_API_KEY_NAME,
      now,
    });
    return { id: stored.id, revokedCount, isRevoked: stored.isRevoked };
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
