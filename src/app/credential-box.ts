import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../domain/errors.ts';

// Credentials at rest: AES-256-GCM with a fresh 96-bit nonce per value, and the owner's id as
// associated data, so a sealed value copied onto another sender's row does not open there.
const VERSION = 'v1';
const NONCE_BYTES = 12;

/** Seals and opens secrets (access tokens, app secrets) stored in the database. */
export interface CredentialBox {
  /** `v1.<nonce>.<tag>.<ciphertext>` (base64url), bound to `owner`. */
  seal(plain: string, owner: string): string;
  /** The plain text; throws a 500-class AppError naming the likely cause when the key is not the one it was sealed with. */
  open(sealed: string, owner: string): string;
}

/** A box under a 32-byte key. */
export function createCredentialBox(key: Buffer): CredentialBox {
  if (key.length !== 32) throw new RangeError('the credentials key must be 32 bytes');
  return {
    seal(plain, owner) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(owner, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, nonce, cipher.getAuthTag(), body].map(encode).join('.');
    },
    open(sealed, owner) {
      const [version, nonce, tag, body] = sealed.split('.');
      if (version !== VERSION || !nonce || !tag || body === undefined) throw unreadable(owner);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
        decipher.setAAD(Buffer.from(owner, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch (error) {
        throw unreadable(owner, error);
      }
    },
  };
}

function encode(part: string | Buffer): string {
  return typeof part === 'string' ? part : part.toString('base64url');
}

function unreadable(owner: string, cause?: unknown): AppError {
  return new AppError(
    'internal',
    `the stored credentials of sender "${owner}" cannot be read with this process's key: every process must share one CHORUS_SECRET_KEY (or the same secret.key file)`,
    { cause },
  );
}
