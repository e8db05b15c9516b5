import { ApiKeyVerifier, seedApiKey } from '../app/api-keys.ts';
import { createLogger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import { type ChorusApp, createHttpApp, type HttpDeps, type RouteRegistrar } from './app.ts';

/** The bearer key the in-process test APIs accept. */
export const TEST_API_KEY = 'test-key';

/** Builds the HTTP app in-process on a test database, with a seeded key and a fixed clock (tests only). */
export async function createTestApi(
  database: Database,
  registrars: RouteRegistrar[],
  nowMs: number,
): Promise<{ app: ChorusApp; deps: HttpDeps }> {
  await seedApiKey(database.db, TEST_API_KEY, nowMs);
  const deps: HttpDeps = {
    database,
    logger: createLogger('silent'),
    apiKeys: new ApiKeyVerifier(database.db, () => nowMs),
    clock: () => nowMs,
    isReady: () => true,
  };
  return { app: createHttpApp(deps, registrars), deps };
}

/** Sends one request with the test key (or none), `init.body` as given. */
export function requestAs(
  app: ChorusApp,
  method: string,
  path: string,
  init: { body?: string | FormData; type?: string; auth?: boolean } = {},
): Response | Promise<Response> {
  return app.request(path, {
    method,
    body: init.body,
    headers: {
      ...(init.auth === false ? {} : { authorization: `Bearer ${TEST_API_KEY}` }),
      ...(init.type ? { 'content-type': init.type } : {}),
    },
  });
}
