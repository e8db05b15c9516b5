import { AppError } from '../domain/errors.ts';
import { ROLES, type Role } from '../domain/roles.ts';

/** Reads a `--role` flag; anything but a known role is a one-line error. */
export function parseRole(text: string): Role {
  if (!(ROLES as readonly string[]).includes(text)) {
    throw new AppError('validation_failed', `--role must be ${ROLES.join(', ')}, not "${text}"`, { field: 'role' });
  }
  return text as Role;
}
