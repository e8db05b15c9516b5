import type { Kysely } from 'kysely';
import type { AuditSource } from '../domain/audit.ts';
import { AppError } from '../domain/errors.ts';
import { requireAcceptablePassword } from '../domain/password-policy.ts';
import type { DB } from '../store/schema.ts';
import { deleteUserSessions } from '../store/sessions-repo.ts';
import { clearThrottle } from '../store/sign-in-throttle-repo.ts';
import { getPasswordHash, updateUser } from '../store/users-repo.ts';
import { recordAudit } from './audit.ts';
import { generatePassword, hashPassword, verifyPassword } from './passwords.ts';
import { requireUser, requireUserView, type UserView, userTarget } from './users.ts';

/** Sets a new password for someone (generated when none is given), ends their sessions and lifts a lock. */
export async function resetPassword(
  db: Kysely<DB>,
  id: number,
  password: string | undefined,
  by: AuditSource,
  now: number,
): Promise<{ user: UserView; temporary_password: string | null }> {
  const user = await requireUser(db, id);
  const temporary = password === undefined ? generatePassword() : null;
  const chosen = password === undefined ? (temporary as string) : requireAcceptablePassword(password);
  await updateUser(db, id, { passwordHash: await hashPassword(chosen), mustChangePassword: true }, now);
  await deleteUserSessions(db, id);
  await clearThrottle(db, `email:${user.email}`);
  await recordAudit(
    db,
    { ...by, action: 'user.reset_password', target: userTarget(id), details: { email: user.email } },
    now,
  );
  return { user: await requireUserView(db, id), temporary_password: temporary };
}

/** A signed-in user chooses a new password; their other sessions end. */
export async function changeOwnPassword(
  db: Kysely<DB>,
  userId: number,
  passwords: { current: string; next: string },
  session: AuditSource & { tokenHash: string },
  now: number,
): Promise<UserView> {
  const stored = await getPasswordHash(db, userId);
  if (stored === undefined || !(await verifyPassword(passwords.current, stored))) {
    throw new AppError('validation_failed', 'the current password is not right', { field: 'current_password' });
  }
  requireAcceptablePassword(passwords.next, 'new_password');
  if (passwords.next === passwords.current) {
    throw new AppError('validation_failed', 'choose a password other than the current one', { field: 'new_password' });
  }
  await updateUser(db, userId, { passwordHash: await hashPassword(passwords.next), mustChangePassword: false }, now);
  await deleteUserSessions(db, userId, session.tokenHash);
  await recordAudit(
    db,
    { actor: session.actor, ip: session.ip, action: 'user.change_password', target: userTarget(userId) },
    now,
  );
  return requireUserView(db, userId);
}
