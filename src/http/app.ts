import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { ApiKeyVerifier } from '../app/api-keys.ts';
import { AppError } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import { authenticate } from './auth.ts';
import { registerDashboard } from './dashboard.ts';
import { type OpenApiDocument, renderDocsPage } from './docs-page.ts';
import { createErrorHandler, errorResponse, validationError } from './on-error.ts';
import { SESSION_COOKIE } from './session-cookie.ts';

/** What the HTTP layer needs from the composition root. */
export interface HttpDeps {
  database: Database;
  logger: Logger;
  apiKeys: ApiKeyVerifier;
  clock: () => number;
  /** True once migrations ran and the dispatcher is up. */
  isReady: () => boolean;
  /** True when the built-in simulator stands in for Meta (the dashboard shows a banner). */
  isSandbox: boolean;
  /** Believe X-Forwarded-For and X-Forwarded-Proto (CHORUS_TRUST_PROXY=1, behind a reverse proxy). */
  trustProxy: boolean;
}

/** Per-request values set by middleware: who is calling (and the API key's id when it is one). */
export type AppEnv = { Variables: { principal: Principal; apiKeyId: number | undefined } };

/** The router type every routes/<resource>.ts registers on. */
export type ChorusApp = OpenAPIHono<AppEnv>;

/** Bodies larger than this are refused on JSON endpoints; imports and webhooks set their own limits. */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

const OPENAPI_INFO = { title: 'Chorus API', version: '1' };

/** Registers a resource's routes; one per file in routes/. */
export type RouteRegistrar = (app: ChorusApp, deps: HttpDeps) => void;

/** Builds the whole HTTP application; testable in-process with `app.request()`. */
export function createHttpApp(deps: HttpDeps, registrars: RouteRegistrar[]): ChorusApp {
  const app: ChorusApp = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return errorResponse(c, validationError(result.error, result.target));
    },
  });
  app.onError(createErrorHandler(deps.logger));
  app.notFound((c) => errorResponse(c, new AppError('not_found', `no route for ${c.req.method} ${c.req.path}`)));

  app.get('/healthz', (c) => (deps.isReady() ? c.json({ ok: true }) : c.json({ ok: false }, 503)));

  app.use('/api/v1/*', authenticate(deps));
  app.use('/api/v1/*', async (c, next) => {
    if (c.req.header('content-type')?.startsWith('application/json') !== true) return next();
    return bodyLimit({
      maxSize: JSON_BODY_LIMIT_BYTES,
      onError: (ctx) =>
        errorResponse(
          ctx,
          new AppError('payload_too_large', `JSON bodies are limited to ${JSON_BODY_LIMIT_BYTES} bytes`),
        ),
    })(c, next);
  });

  for (const register of registrars) register(app, deps);

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: OPENAPI_INFO,
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The dashboard signs in with POST /api/v1/session; writes also need the X-CSRF-Token header',
  });
  app.get('/docs', (c) =>
    c.html(renderDocsPage(app.getOpenAPI31Document({ openapi: '3.1.0', info: OPENAPI_INFO }) as OpenApiDocument)),
  );
  // Last: every GET no route above answered is the dashboard's.
  registerDashboard(app);
  return app;
}
