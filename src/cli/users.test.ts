import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/db.ts';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-cli-users-'));
const BIN = path.resolve('bin/chorus.mjs');
const DB_FILE = path.join(dir, 'cli.db');

describe('chorus users (a real process)', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, DATABASE_URL: `sqlite:${DB_FILE}` };
  const chorus = (...args: string[]) => run('node', [BIN, 'users', ...args], { env });

  it('adds users with a role, generating a password to change when none is given', async () => {
    const added = JSON.parse(
      (await chorus('add', '--email', 'Ada@Shop.test', '--role', 'admin', '--password', 'long enough pw', '--json'))
        .stdout,
    );
    expect(added).toMatchObject({
      user: { email: 'ada@shop.test', role: 'admin', must_change_password: false },
      temporary_password: null,
    });
    const invited = await chorus('add', '--email', 'otto@shop.test');
    expect(invited.stdout).toMatch(/^#2\totto@shop\.test\toperator\ntemporary password: [\w-]{20}\n/);
  });

  it('lists users and changes a role by email', async () => {
    await chorus('set-role', 'otto@shop.test', 'viewer');
    const list = JSON.parse((await chorus('list', '--json')).stdout) as { data: { email: string; role: string }[] };
    expect(list.data.map((u) => [u.email, u.role])).toEqual([
      ['ada@shop.test', 'admin'],
      ['otto@shop.test', 'viewer'],
    ]);
  });

  it('exits non-zero with a one-line reason', async () => {
    const badRole = await chorus('add', '--email', 'x@shop.test', '--role', 'owner').catch((e: unknown) => e);
    expect(badRole).toMatchObject({ code: 1, stderr: 'chorus: --role must be viewer, operator, admin, not "owner"\n' });
    const lastAdmin = await chorus('disable', 'ada@shop.test', '--json').catch((e: unknown) => e);
    expect(lastAdmin).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^chorus: Chorus needs at least one active admin.*\n$/),
    });
    expect(JSON.parse((lastAdmin as { stdout: string }).stdout)).toMatchObject({ error: { code: 'invalid_state' } });
    const unknown = await chorus('enable', 'nobody@shop.test').catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 1, stderr: 'chorus: no user nobody@shop.test\n' });
  });

  it('records what it did in the audit log as the command line', async () => {
    const database = openDatabase({ kind: 'sqlite', path: DB_FILE });
    try {
      const rows = await database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_type', 'actor_label'])
        .orderBy('id')
        .execute();
      expect(rows.map((r) => [r.action, r.actor_type])).toEqual([
        ['user.create', 'cli'],
        ['user.create', 'cli'],
        ['user.update', 'cli'],
      ]);
      expect(rows[0]?.actor_label).toBe(`cli (${os.userInfo().username})`);
    } finally {
      await database.close();
    }
  });
});
