// The key that seals stored credentials: CHORUS_SECRET_KEY, or a key file generated next to the
// SQLite database (./data/secret.key for PostgreSQL) with mode 0600 the first time it is needed.
import { hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type CredentialBox, createCredentialBox } from './app/credential-box.ts';
import type { DatabaseTarget } from './config.ts';

const KEY_BYTES = 32;

/** Where the generated key lives when CHORUS_SECRET_KEY is not set; undefined for an in-memory database. */
export function secretKeyFile(database: DatabaseTarget): string | undefined {
  if (database.kind === 'postgres') return path.resolve('data', 'secret.key');
  return database.path === ':memory:' ? undefined : path.join(path.dirname(path.resolve(database.path)), 'secret.key');
}

/**
 * The credential box of this process. A configured key is stretched with HKDF, so any long random
 * string serves; otherwise the key file is read, or created (0600) on the first seal or open.
 */
export function openCredentialBox(secretKey: string | undefined, keyFile: string | undefined): CredentialBox {
  let box: CredentialBox | undefined;
  const current = () => {
    box ??= createCredentialBox(secretKey !== undefined ? stretch(secretKey) : readOrCreateKey(keyFile));
    return box;
  };
  return {
    seal: (plain, owner) => current().seal(plain, owner),
    open: (sealed, owner) => current().open(sealed, owner),
  };
}

function stretch(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'chorus', 'stored credentials', KEY_BYTES));
}

function readOrCreateKey(file: string | undefined): Buffer {
  if (file === undefined) return randomBytes(KEY_BYTES);
  try {
    return decodeKeyFile(fs.readFileSync(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(KEY_BYTES);
  try {
    // 'wx': two processes starting at once must not each write a key of their own.
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return decodeKeyFile(fs.readFileSync(file, 'utf8'), file);
  }
}

function decodeKeyFile(text: string, file: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${file} does not hold a ${KEY_BYTES}-byte base64 key`);
  return key;
}
