import { type Kysely, type Selectable, sql } from 'kysely';
import type { Role } from '../domain/roles.ts';
import type { Database } from './db.ts';
import type { DB, UsersTable } from './schema.ts';

/** A dashboard user as the app sees it (the password hash only where a check needs it). */
export interface UserRecord {
  id: number;
  email: string;
  name: string | null;
  role: Role;
  mustChangePassword: boolean;
  createdAt: number;
  updatedAt: number;
  lastSignInAt: number | null;
  disabledAt: number | null;
}

/** What a new user needs. */
export interface NewUser {
  email: string;
  name: string | null;
  role: Role;
  passwordHash: string;
  mustChangePassword: boolean;
}

/** The fields an admin or the user may change. */
export type UserChanges = Partial<{
  name: string | null;
  role: Role;
  passwordHash: string;
  mustChangePassword: boolean;
  disabledAt: number | null;
  lastSignInAt: number;
}>;

/** Maps a users row to a UserRecord. */
export function toUserRecord(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    mustChangePassword: row.must_change_password === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSignInAt: row.last_sign_in_at,
    disabledAt: row.disabled_at,
  };
}

/** Stores a user; a taken email answers undefined. */
export async function insertUser(db: Kysely<DB>, user: NewUser, now: number): Promise<number | undefined> {
  const row = await db
    .insertInto('users')
    .values({
      email: user.email,
      name: user.name,
      role: user.role,
      password_hash: user.passwordHash,
      must_change_password: user.mustChangePassword ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Stores the first user only while there is none; answers undefined when someone was first. On
 * PostgreSQL the table lock makes two concurrent first-runs take turns.
 */
export async function insertFirstUser(database: Database, user: NewUser, now: number): Promise<number | undefined> {
  return database.db.transaction().execute(async (trx) => {
    if (database.dialect === 'postgres') await sql`lock table users in exclusive mode`.execute(trx);
    if ((await countUsers(trx)) > 0) return undefined;
    return insertUser(trx, user, now);
  });
}

/** How many users exist (0 means the first-run page is open). */
export async function countUsers(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('users').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many admins can still sign in. */
export async function countActiveAdmins(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select(sql<number>`count(*)`.as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The user with this id. */
export async function getUser(db: Kysely<DB>, id: number): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUserRecord(row);
}

/** The user with this (lower-cased) email and the hash to check a password against. */
export async function findUserForSignIn(
  db: Kysely<DB>,
  email: string,
): Promise<(UserRecord & { passwordHash: string }) | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  return row && { ...toUserRecord(row), passwordHash: row.password_hash };
}

/** The id of the user with this (lower-cased) email. */
export async function findUserIdByEmail(db: Kysely<DB>, email: string): Promise<number | undefined> {
  const row = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  return row?.id;
}

/** The stored password hash of a user. */
export async function getPasswordHash(db: Kysely<DB>, id: number): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
  return row?.password_hash;
}

/** Users in id order after `afterId`, `limit` of them. */
export async function pageUsers(db: Kysely<DB>, page: { afterId: number; limit: number }): Promise<UserRecord[]> {
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where('id', '>', page.afterId)
    .orderBy('id')
    .limit(page.limit)
    .execute();
  return rows.map(toUserRecord);
}

/** Applies changes to a user; answers whether it exists. */
export async function updateUser(db: Kysely<DB>, id: number, changes: UserChanges, now: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({
      updated_at: now,
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
      ...(changes.mustChangePassword !== undefined ? { must_change_password: changes.mustChangePassword ? 1 : 0 } : {}),
      ...(changes.disabledAt !== undefined ? { disabled_at: changes.disabledAt } : {}),
      ...(changes.lastSignInAt !== undefined ? { last_sign_in_at: changes.lastSignInAt } : {}),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
