import { AppError } from '../../domain/errors.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { bearerSecretOf } from '../auth.ts';
import { errorResponse } from '../on-error.ts';

/** What GET /metrics serves, and whether it answers without the API key. */
export interface MetricsExposition {
  contentType: string;
  render(): Promise<string>;
  /** CHORUS_METRICS_PUBLIC=1: for a scraper on a private network that cannot send a key. */
  isPublic: boolean;
}

/** GET /metrics in the Prometheus text format (docs/observability.md names every metric). */
export function registerMetricsRoute(app: ChorusApp, deps: HttpDeps, metrics: MetricsExposition): void {
  app.get('/metrics', async (c) => {
    if (!metrics.isPublic) {
      const key = bearerSecretOf(c.req.header('authorization'));
      if (key === undefined || (await deps.apiKeys.verify(key)) === undefined) {
        c.header('WWW-Authenticate', 'Bearer');
        return errorResponse(
          c,
          new AppError(
            'unauthorized',
            'GET /metrics needs an API key: Authorization: Bearer <key> (or set CHORUS_METRICS_PUBLIC=1)',
          ),
        );
      }
    }
    return c.body(await metrics.render(), 200, { 'content-type': metrics.contentType });
  });
}
