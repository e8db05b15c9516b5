import { OpenAPIHono } from '@hono/zod-openapi';
import { DEFAULT_EDGE } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { authenticate } from './auth.ts';
import { apiCors } from './cors.ts';
import { registerDashboard } from './dashboard.ts';
import { type OpenApiDocument, renderDocsPage } from './docs-page.ts';
import type { AppEnv, ChorusApp, HttpDeps, RouteRegistrar } from './http-types.ts';
import { guardJsonBody } from './json-body.ts';
import { createErrorHandler, errorResponse, validationError } from './on-error.ts';
import { createEdgeLimiters } from './rate-limits.ts';
import { requestContext } from './request-context.ts';
import { securityHeaders } from './security-headers.ts';
import { SESSION_COOKIE } from './session-cookie.ts';
import { guardUrlText } from './url-text.ts';

export type { AppEnv, ChorusApp, HttpDeps, RouteRegistrar } from './http-types.ts';

const OPENAPI_INFO = { title: 'Chorus API', version: '1' };

/** Builds the whole HTTP application; testable in-process with `app.request()`. */
export function createHttpApp(deps: HttpDeps, registrars: RouteRegistrar[]): ChorusApp {
  const app: ChorusApp = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return errorResponse(c, validationError(result.error, result.target));
    },
  });
  const edge = deps.edge ?? DEFAULT_EDGE;
  app.use('*', requestContext(deps.logger, deps.requests));
  app.use('*', securityHeaders({ hstsMaxAgeSec: edge.hstsMaxAgeSec, trustProxy: deps.trustProxy }));
  const cors = apiCors(edge.corsOrigins);
  if (cors) app.use('/api/*', cors);
  app.onError(createErrorHandler(deps.logger));
  app.notFound((c) => errorResponse(c, new AppError('not_found', `no route for ${c.req.method} ${c.req.path}`)));

  app.get('/healthz', (c) => (deps.isReady() ? c.json({ ok: true }) : c.json({ ok: false }, 503)));

  const limiters = createEdgeLimiters(edge.rateLimits, deps.trustProxy);
  if (limiters.apiPerIp) app.use('/api/*', limiters.apiPerIp);
  if (limiters.signInPerIp) app.use('/api/v1/session', limiters.signInPerIp);
  if (limiters.joinPerIp) app.use('/join/*', limiters.joinPerIp);
  app.use('/api/v1/*', authenticate(deps));
  if (limiters.apiPerKey) app.use('/api/*', limiters.apiPerKey);
  app.use('/api/v1/*', guardJsonBody);
  app.use('/api/v1/*', guardUrlText);

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
