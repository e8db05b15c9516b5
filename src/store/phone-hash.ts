import { createHmac, randomBytes } from 'node:crypto';

// An erased number is kept only as HMAC-SHA256(salt, E.164 phone). The salt is generated once, by
// the migration that brought erasure in, and lives in the database (erasure_salt): every process,
// every node and every restored backup hashes a number the same way, so an erased person can never
// slip back in because a key file was lost or differs (docs/data-rights.md).

const SALT_BYTES = 32;

/** A new random salt, base64, as erasure_salt stores it. */
export function newErasureSalt(): string {
  return randomBytes(SALT_BYTES).toString('base64');
}

/** Hashes E.164 phones with one salt (base64 as stored). */
export function phoneHasher(saltBase64: string): (phone: string) => string {
  const salt = Buffer.from(saltBase64, 'base64');
  return (phone) => createHmac('sha256', salt).update(phone).digest('hex');
}
