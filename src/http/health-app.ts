import { Hono } from 'hono';

/**
 * What a `--role worker` process serves: `/healthz` only, for a supervisor or load balancer to
 * probe. The API and webhooks are the api processes' job.
 */
export function createHealthApp(isReady: () => boolean): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => (isReady() ? c.json({ ok: true }) : c.json({ ok: false }, 503)));
  return app;
}
