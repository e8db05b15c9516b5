import type { Kysely } from 'kysely';
import type { AuditActor } from '../domain/audit.ts';
import { AppError } from '../domain/errors.ts';
import {
  ACCOUNT_THROTTLE,
  ADDRESS_THROTTLE,
  afterFailure,
  lockEndsAt,
  type ThrottleRule,
  type ThrottleState,
} from '../domain/sign-in-throttle.ts';
import type { DB } from '../store/schema.ts';
import { clearThrottle, deleteStaleThrottles, readThrottles, writeThrottle } from '../store/sign-in-throttle-repo.ts';
import { findUserForSignIn, updateUser } from '../store/users-repo.ts';
import { recordAudit } from './audit.ts';
import { verifyAgainstDecoy, verifyPassword } from './passwords.ts';
import { type StartedSession, startSession } from './sessions.ts';
import { normaliseEmail, type UserView, viewUser } from './users.ts';

/** A refused sign-in because of too many failures; `retryAfterMs` says when to try again. */
export class SignInLockedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super('too_many_requests', message);
  }
}

/** What a sign-in attempt brings. */
export interface SignInAttempt {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

/** Checks a password and starts a session; failures are counted, audited and may lock the account. */
export async function signIn(
  db: Kysely<DB>,
  attempt: SignInAttempt,
  now: number,
): Promise<StartedSession & { user: UserView }> {
  const email = normaliseEmail(attempt.email);
  const keys = { account: `email:${email}`, address: attempt.ip === null ? undefined : `ip:${attempt.ip}` };
  const states = new Map((await readThrottles(db, Object.values(keys).filter(isText))).map((s) => [s.key, s]));
  const actor: AuditActor = { type: 'user', id: null, label: email };
  const audit = { actor, ip: attempt.ip };
  refuseWhileLocked(states, keys, now);

  const user = await findUserForSignIn(db, email);
  const isMatch = user
    ? await verifyPassword(attempt.password, user.passwordHash)
    : await verifyAgainstDecoy(attempt.password);
  if (!user || !isMatch) {
    const reason = user ? 'wrong password' : 'unknown email';
    await recordAudit(
      db,
      {
        ...audit,
        actor: { ...actor, id: user ? String(user.id) : null },
        action: 'session.sign_in_failed',
        details: { reason },
      },
      now,
    );
    return failSignIn(db, states, keys, now, audit);
  }
  actor.id = String(user.id);
  if (user.disabledAt !== null) {
    await recordAudit(db, { ...audit, action: 'session.sign_in_failed', details: { reason: 'disabled' } }, now);
    throw new AppError('forbidden', 'this account is disabled; ask an admin to enable it', { field: 'email' });
  }
  await clearThrottle(db, keys.account);
  const session = await startSession(db, user.id, { ip: attempt.ip, userAgent: attempt.userAgent }, now);
  await updateUser(db, user.id, { lastSignInAt: now }, now);
  await recordAudit(db, { ...audit, action: 'session.sign_in' }, now);
  return { ...session, user: viewUser({ ...user, lastSignInAt: now }) };
}

function isText(value: string | undefined): value is string {
  return value !== undefined;
}

function refuseWhileLocked(
  states: Map<string, ThrottleState>,
  keys: { account: string; address: string | undefined },
  now: number,
): void {
  const accountLock = lockEndsAt(states.get(keys.account), now);
  if (accountLock !== undefined) throw accountLocked(accountLock, now);
  const addressLock = keys.address === undefined ? undefined : lockEndsAt(states.get(keys.address), now);
  if (addressLock !== undefined) {
    throw new SignInLockedError(
      `too many failed sign-ins from your address: try again after ${clockTime(addressLock)} UTC`,
      addressLock - now,
    );
  }
}

async function failSignIn(
  db: Kysely<DB>,
  states: Map<string, ThrottleState>,
  keys: { account: string; address: string | undefined },
  now: number,
  audit: { actor: AuditActor; ip: string | null },
): Promise<never> {
  const count = async (key: string, rule: ThrottleRule) => {
    const next = afterFailure(key, states.get(key), rule, now);
    await writeThrottle(db, next);
    return next;
  };
  if (keys.address !== undefined) await count(keys.address, ADDRESS_THROTTLE);
  const account = await count(keys.account, ACCOUNT_THROTTLE);
  await deleteStaleThrottles(db, now - ACCOUNT_THROTTLE.windowMs - ACCOUNT_THROTTLE.lockMs);
  if (account.lockedUntil !== null) {
    await recordAudit(db, { ...audit, action: 'session.locked', details: { failures: account.failures } }, now);
    throw accountLocked(account.lockedUntil, now);
  }
  const triesLeft = ACCOUNT_THROTTLE.maxFailures - account.failures;
  throw new AppError(
    'unauthorized',
    `wrong email or password (${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left before this account is locked for ${minutes(ACCOUNT_THROTTLE.lockMs)} minutes)`,
    { field: 'password' },
  );
}

function accountLocked(until: number, now: number): SignInLockedError {
  return new SignInLockedError(
    `this account is locked after ${ACCOUNT_THROTTLE.maxFailures} failed sign-ins: try again after ${clockTime(until)} UTC, or ask an admin to reset the password`,
    until - now,
  );
}

const minutes = (ms: number) => Math.round(ms / 60_000);
const clockTime = (ms: number) => new Date(ms).toISOString().slice(11, 16);
