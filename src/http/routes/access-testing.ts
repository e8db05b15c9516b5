import { createUser } from '../../app/users.ts';
import { SYSTEM_SOURCE } from '../../domain/audit.ts';
import type { Role } from '../../domain/roles.ts';
import type { Database } from '../../store/db.ts';
import type { RouteRegistrar } from '../app.ts';
import { registerApiKeyRoutes } from './api-keys.ts';
import { registerAuditRoutes } from './audit.ts';
import { registerMeRoutes } from './me.ts';
import { registerSessionRoutes } from './session.ts';
import { registerUserRoutes } from './users.ts';

/** The routes of users and access, for in-process tests. */
export const ACCESS_ROUTES: RouteRegistrar[] = [
  registerSessionRoutes,
  registerMeRoutes,
  registerUserRoutes,
  registerApiKeyRoutes,
  registerAuditRoutes,
];

/** A password every seeded test user has. */
export const TEST_PASSWORD = 'correct horse battery';

/** Stores a user with TEST_PASSWORD who need not change it (tests only). */
export async function seedUser(database: Database, email: string, role: Role, nowMs: number): Promise<number> {
  const { user } = await createUser(database.db, { email, role, password: TEST_PASSWORD }, SYSTEM_SOURCE, nowMs);
  return Number(user.id);
}
