import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiKeyVerifier } from '../app/api-keys.ts';
import type { EdgeConfig } from '../config.ts';
import type { Principal } from '../domain/principal.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import type { RequestObserver } from './request-context.ts';

// The HTTP layer's shared types, apart from app.ts so the middleware app.ts installs can name them.

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
  /** Hears every answered request (metrics). */
  requests?: RequestObserver;
  /** CORS, HSTS and rate limits; the defaults when absent. */
  edge?: EdgeConfig;
}

/** Per-request values set by middleware: who is calling (and the API key's id when it is one). */
export type AppEnv = { Variables: { principal: Principal; apiKeyId: number | undefined } };

/** The router type every routes/<resource>.ts registers on. */
export type ChorusApp = OpenAPIHono<AppEnv>;

/** Registers a resource's routes; one per file in routes/. */
export type RouteRegistrar = (app: ChorusApp, deps: HttpDeps) => void;
