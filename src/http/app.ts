import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { ApiKeyVerifier } from '../app/api-keys.ts';
import { AppError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import { type OpenApiDocument, renderDocsPage } from './docs-page.ts';
import { createErrorHandler, errorResponse, validationError } from './on-error.ts';
import { type RequestObserver, requestContext } from './request-context.ts';

/** What the HTTP layer needs from the composition root. */
export interface HttpDeps {
  database: Database;
  logger: Logger;
  apiKeys: ApiKeyVerifier;
  clock: () => number;
  /** True once migrations ran and the dispatcher is up. */
  isReady: () => boolean;
  /** Hears every answered request (metrics). */
  requests?: RequestObserver;
}

/** Per-request values set by middleware. */
export type AppEnv = { Variables: { apiKeyId: number } };

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
  app.use('*', requestContext(deps.logger, deps.requests));
  app.onError(createErrorHandler(deps.logger));
  app.notFound((c) => errorResponse(c, new AppError('not_found', `no route for ${c.req.method} ${c.req.path}`)));

  app.get('/healthz', (c) => (deps.isReady() ? c.json({ ok: true }) : c.json({ ok: false }, 503)));

  app.use('/api/v1/*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const keyId = match?.[1] ? await deps.apiKeys.verify(match[1]) : undefined;
    if (keyId === undefined) {
      c.header('WWW-Authenticate', 'Bearer');
      return errorResponse(c, new AppError('unauthorized', 'a valid API key is required: Authorization: Bearer <key>'));
    }
    c.set('apiKeyId', keyId);
    await next();
  });
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
  app.get('/docs', (c) =>
    c.html(renderDocsPage(app.getOpenAPI31Document({ openapi: '3.1.0', info: OPENAPI_INFO }) as OpenApiDocument)),
  );
  return app;
}
