import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyAgainstDecoy, verifyPassword } from './passwords.ts';

describe('password hashing', () => {
  it('verifies the right password only, with its own salt each time', async () => {
    const first = await hashPassword('correct horse battery');
    const second = await hashPassword('correct horse battery');
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(second).not.toBe(first);
    expect(await verifyPassword('correct horse battery', first)).toBe(true);
    expect(await verifyPassword('correct horse batterY', first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
  });

  it('treats the same text in another Unicode form as the same password', async () => {
    const stored = await hashPassword('Caf\u00e9 au lait!');
    expect(await verifyPassword('Cafe\u0301 au lait!', stored)).toBe(true);
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$10$abc$def$ghi$jkl')).toBe(false);
  });

  it('spends a real check on the decoy and always refuses', async () => {
    expect(await verifyAgainstDecoy('anything')).toBe(false);
  });

  it('generates 20-character passwords that differ', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[\w-]{20}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
