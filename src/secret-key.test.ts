import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCredentialBox, secretKeyFile } from './secret-key.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-secret-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the credentials key', () => {
  it('lives next to the SQLite file, and nowhere for an in-memory database', () => {
    expect(secretKeyFile({ kind: 'sqlite', path: path.join(dir, 'chorus.db') })).toBe(path.join(dir, 'secret.key'));
    expect(secretKeyFile({ kind: 'sqlite', path: ':memory:' })).toBeUndefined();
  });

  it('is generated once, with mode 0600, and opens in another process that reads the same file', () => {
    const file = path.join(dir, 'a', 'secret.key');
    const sealed = openCredentialBox(undefined, file).seal('token', 'b');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(openCredentialBox(undefined, file).open(sealed, 'b')).toBe('token');
  });

  it('comes from CHORUS_SECRET_KEY when set, and no file is written', () => {
    const file = path.join(dir, 'unused.key');
    const sealed = openCredentialBox('a long random string from the operator', file).seal('token', 'b');
    expect(fs.existsSync(file)).toBe(false);
    expect(openCredentialBox('a long random string from the operator', undefined).open(sealed, 'b')).toBe('token');
    expect(() => openCredentialBox('another key entirely, just as long', undefined).open(sealed, 'b')).toThrow(
      /CHORUS_SECRET_KEY/,
    );
  });

  it('refuses a key file that does not hold a key', () => {
    const file = path.join(dir, 'bad.key');
    fs.writeFileSync(file, 'not a key');
    expect(() => openCredentialBox(undefined, file).seal('x', 'b')).toThrow(/does not hold a 32-byte/);
  });
});
