/** Who may do what, from least to most: viewers read, operators run campaigns, admins run Chorus. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;

/** One of ROLES. */
export type Role = (typeof ROLES)[number];

/** True when `role` grants at least what `needed` grants. */
export function isAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}
