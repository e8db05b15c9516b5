import type { Kysely } from 'kysely';
import type { AuditSource } from '../domain/audit.ts';
import { AppError } from '../domain/errors.ts';
import { requireAcceptablePassword } from '../domain/password-policy.ts';
import type { Role } from '../domain/roles.ts';
import type { Database } from '../store/db.ts';
import type { DB } from '../store/schema.ts';
import { deleteUserSessions } from '../store/sessions-repo.ts';
import { readThrottles } from '../store/sign-in-throttle-repo.ts';
import {
  countActiveAdmins,
  findUserIdByEmail,
  getUser,
  insertFirstUser,
  insertUser,
  pageUsers,
  type UserRecord,
  updateUser,
} from '../store/users-repo.ts';
import { recordAudit } from './audit.ts';
import { decodeCursor, type Page, toPage } from './cursor.ts';
import { iso } from './iso-time.ts';
import { generatePassword, hashPassword } from './passwords.ts';

/** A user as the API shows it. */
export interface UserView {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  status: 'active' | 'disabled';
  must_change_password: boolean;
  created_at: string;
  last_sign_in_at: string | null;
  /** Set while failed sign-ins keep the account locked. */
  locked_until: string | null;
}

/** Emails are compared without case or surrounding spaces. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The API's view of a stored user. */
export function viewUser(user: UserRecord, lockedUntil: number | null = null): UserView {
  return {
    id: String(user.id),
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.disabledAt === null ? 'active' : 'disabled',
    must_change_password: user.mustChangePassword,
    created_at: new Date(user.createdAt).toISOString(),
    last_sign_in_at: iso(user.lastSignInAt),
    locked_until: iso(lockedUntil),
  };
}

/** A new user: the password is generated (and must be changed at first sign-in) when none is given. */
export interface UserInput {
  email: string;
  name?: string | null;
  role: Role;
  password?: string;
}

/** Creates a user; answers the generated password once when none was given. */
export async function createUser(
  db: Kysely<DB>,
  input: UserInput,
  by: AuditSource,
  now: number,
): Promise<{ user: UserView; temporary_password: string | null }> {
  const temporary = input.password === undefined ? generatePassword() : null;
  const password = input.password === undefined ? (temporary as string) : requireAcceptablePassword(input.password);
  const email = normaliseEmail(input.email);
  const id = await insertUser(
    db,
    {
      email,
      name: input.name ?? null,
      role: input.role,
      passwordHash: await hashPassword(password),
      mustChangePassword: temporary !== null,
    },
    now,
  );
  if (id === undefined)
    throw new AppError('conflict', `a user with the email ${email} exists already`, { field: 'email' });
  await recordAudit(
    db,
    { ...by, action: 'user.create', target: userTarget(id), details: { email, role: input.role } },
    now,
  );
  return { user: await requireUserView(db, id), temporary_password: temporary };
}

/** Creates the first admin, only while no user exists (the first-run page and CHORUS_ADMIN_*). */
export async function createFirstAdmin(
  database: Database,
  input: { email: string; name?: string | null; password: string },
  by: AuditSource,
  now: number,
): Promise<UserView | undefined> {
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const user = { email, name: input.name ?? null, role: 'admin' as const, passwordHash, mustChangePassword: false };
  const id = await insertFirstUser(database, user, now);
  if (id === undefined) return undefined;
  await recordAudit(
    database.db,
    { ...by, action: 'user.create', target: userTarget(id), details: { email, role: 'admin', first: true } },
    now,
  );
  return requireUserView(database.db, id);
}

/** One page of users in id order, each with its lock if failed sign-ins hold one. */
export async function listUsersPage(db: Kysely<DB>, page: { cursor?: string; limit: number }): Promise<Page<UserView>> {
  const rows = await pageUsers(db, { afterId: decodeCursor(page.cursor), limit: page.limit + 1 });
  const locks = await lockedUntilByEmail(
    db,
    rows.map((u) => u.email),
  );
  return toPage(rows, page.limit, (pageRows) => pageRows.map((u) => viewUser(u, locks.get(u.email) ?? null)));
}

async function lockedUntilByEmail(db: Kysely<DB>, emails: string[]): Promise<Map<string, number>> {
  if (emails.length === 0) return new Map();
  const states = await readThrottles(
    db,
    emails.map((e) => `email:${e}`),
  );
  return new Map(
    states.filter((s) => s.lockedUntil !== null).map((s) => [s.key.slice('email:'.length), s.lockedUntil as number]),
  );
}

/** A user's id from an id or an email (the command line takes either); 404 when there is none. */
export async function resolveUserRef(db: Kysely<DB>, ref: string): Promise<number> {
  const id = /^\d+$/.test(ref) ? Number(ref) : await findUserIdByEmail(db, normaliseEmail(ref));
  if (id === undefined) throw new AppError('not_found', `no user ${ref}`, { field: 'user' });
  return id;
}

/** The user's view; 404 naming `id` when there is none. */
export async function requireUserView(db: Kysely<DB>, id: number): Promise<UserView> {
  return viewUser(await requireUser(db, id));
}

/** The stored user; 404 naming `id` when there is none. */
export async function requireUser(db: Kysely<DB>, id: number): Promise<UserRecord> {
  const user = Number.isSafeInteger(id) ? await getUser(db, id) : undefined;
  if (!user) throw new AppError('not_found', `no user ${id}`, { field: 'id' });
  return user;
}

/** What an admin may change about a user. */
export interface UserPatch {
  name?: string | null;
  role?: Role;
  disabled?: boolean;
}

/**
 * Changes a user's name, role or whether they may sign in. Chorus always keeps one active admin,
 * and nobody disables their own account; disabling ends the user's sessions at once.
 */
export async function changeUser(
  db: Kysely<DB>,
  id: number,
  patch: UserPatch,
  by: AuditSource,
  now: number,
): Promise<UserView> {
  const user = await requireUser(db, id);
  const isLosingAdmin =
    user.role === 'admin' &&
    user.disabledAt === null &&
    ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true);
  if (isLosingAdmin && (await countActiveAdmins(db)) <= 1) {
    throw new AppError('invalid_state', 'Chorus needs at least one active admin: make another user admin first', {
      field: patch.disabled ? 'disabled' : 'role',
    });
  }
  if (patch.disabled === true && by.actor.type === 'user' && by.actor.id === String(id)) {
    throw new AppError('invalid_state', 'you cannot disable your own account', { field: 'disabled' });
  }
  const disabledAt = patch.disabled === undefined ? undefined : patch.disabled ? (user.disabledAt ?? now) : null;
  await updateUser(db, id, { name: patch.name, role: patch.role, disabledAt }, now);
  if (patch.disabled === true) await deleteUserSessions(db, id);
  await auditUserChange(db, user, patch, by, now);
  return requireUserView(db, id);
}

async function auditUserChange(db: Kysely<DB>, before: UserRecord, patch: UserPatch, by: AuditSource, now: number) {
  const target = userTarget(before.id);
  if (patch.disabled !== undefined && patch.disabled !== (before.disabledAt !== null)) {
    await recordAudit(
      db,
      { ...by, action: patch.disabled ? 'user.disable' : 'user.enable', target, details: { email: before.email } },
      now,
    );
  }
  const changes: Record<string, unknown> = {};
  if (patch.role !== undefined && patch.role !== before.role) changes.role = { from: before.role, to: patch.role };
  if (patch.name !== undefined && patch.name !== before.name) changes.name = { from: before.name, to: patch.name };
  if (Object.keys(changes).length > 0) {
    await recordAudit(db, { ...by, action: 'user.update', target, details: { email: before.email, ...changes } }, now);
  }
}

/** How the audit log names a user. */
export function userTarget(id: number) {
  return { type: 'user', id: String(id) };
}
