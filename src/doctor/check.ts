// One line of `chorus doctor`: what was checked, how it stands, and in plain words what to do.

/** How a check stands: `fail` makes the doctor exit non-zero; `skip` says why nothing was checked. */
export const CHECK_STATUSES = ['ok', 'warn', 'fail', 'skip'] as const;

/** One of CHECK_STATUSES. */
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** The result of one check. */
export interface CheckResult {
  /** What was checked, e.g. `database`, `sender default`. */
  check: string;
  status: CheckStatus;
  /** What was found, in plain words. */
  message: string;
  /** What to do about it; null when nothing needs doing. */
  fix: string | null;
}

/** A check that passed. */
export function ok(check: string, message: string): CheckResult {
  return { check, status: 'ok', message, fix: null };
}

/** A check that found something to look at, which does not stop Chorus. */
export function warn(check: string, message: string, fix: string): CheckResult {
  return { check, status: 'warn', message, fix };
}

/** A check that found something that stops Chorus or loses data. */
export function fail(check: string, message: string, fix: string): CheckResult {
  return { check, status: 'fail', message, fix };
}

/** A check that could not be made from here, and why. */
export function skip(check: string, message: string): CheckResult {
  return { check, status: 'skip', message, fix: null };
}
