import { ApiKeyVerifier, seedApiKey } from '../app/api-keys.ts';
import type { EdgeConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import { type ChorusApp, createHttpApp, type HttpDeps, type RouteRegistrar } from './app.ts';
import { CSRF_HEADER } from './auth.ts';
import { SESSION_COOKIE } from './session-cookie.ts';

/** The bearer key the in-process test APIs accept. */
export const TEST_API_KEY = 'test-key';

/** Builds the HTTP app in-process on a test database, with a seeded admin key and a fixed (or given) clock (tests only). */
export async function createTestApi(
  database: Database,
  registrars: RouteRegistrar[],
  nowMs: number,
  options: { clock?: () => number; trustProxy?: boolean; isSandbox?: boolean; edge?: EdgeConfig } = {},
): Promise<{ app: ChorusApp; deps: HttpDeps }> {
  await seedApiKey(database.db, TEST_API_KEY, nowMs);
  const clock = options.clock ?? (() => nowMs);
  const deps: HttpDeps = {
    database,
    logger: createLogger('silent'),
    apiKeys: new ApiKeyVerifier(database.db, clock),
    clock,
    isReady: () => true,
    isSandbox: options.isSandbox ?? false,
    trustProxy: options.trustProxy ?? false,
    ...(options.edge && { edge: options.edge }),
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

/** A browser-like session in tests: the cookie and CSRF token from a sign-in. */
export interface TestSession {
  cookie: string;
  csrfToken: string;
}

/** Signs in through POST /api/v1/session and keeps what a browser would. */
export async function signInAs(app: ChorusApp, email: string, password: string): Promise<TestSession> {
  const response = await app.request('/api/v1/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = /chorus_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  const body = (await response.json()) as { csrf_token: string };
  if (!cookie) throw new Error('sign-in set no session cookie');
  return { cookie: `${SESSION_COOKIE}=${cookie}`, csrfToken: body.csrf_token };
}

/** Sends one JSON request with a session's cookie, and its CSRF token unless `csrf` is false. */
export function requestWithSession(
  app: ChorusApp,
  session: TestSession,
  method: string,
  path: string,
  init: { json?: unknown; csrf?: boolean | string } = {},
): Response | Promise<Response> {
  const csrf = init.csrf === false ? undefined : typeof init.csrf === 'string' ? init.csrf : session.csrfToken;
  return app.request(path, {
    method,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    headers: {
      cookie: session.cookie,
      ...(csrf === undefined ? {} : { [CSRF_HEADER]: csrf }),
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
    },
  });
}
