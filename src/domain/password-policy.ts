import { AppError } from './errors.ts';

/** NIST SP 800-63B's minimum for a password a person chose. */
export const MIN_PASSWORD_LENGTH = 8;
/** Long enough for any passphrase or password manager, short enough to bound the hashing work. */
export const MAX_PASSWORD_LENGTH = 256;

/** Refuses a password that is too short or too long, naming the field it came from. */
export function requireAcceptablePassword(password: string, field = 'password'): string {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('validation_failed', `the password needs at least ${MIN_PASSWORD_LENGTH} characters`, {
      field,
    });
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new AppError('validation_failed', `the password may have at most ${MAX_PASSWORD_LENGTH} characters`, {
      field,
    });
  }
  return password;
}
