import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { coerceError } from '../../domain/errors.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';
import { isHttps } from '../request-info.ts';

/** What the webhook settings show: the token Meta's verification must send, and whether events can be checked. */
export interface WebhookSettingsDeps {
  verifyToken: () => string | undefined;
  /** True when at least one sender has an app secret, without which signed events are refused. */
  hasAppSecret: () => boolean;
}

const settingsSchema = z
  .object({
    url: z.string(),
    verify_token: z.string().nullable(),
    app_secret_set: z.boolean(),
  })
  .openapi('WebhookSettings');
const checkSchema = z.object({ ok: z.boolean(), url: z.string(), message: z.string() }).openapi('WebhookCheck');
const CHECK_TIMEOUT_MS = 5_000;

/**
 * GET /api/v1/settings/webhook: the callback URL and verify token to paste into Meta's app
 * settings; POST …/check: Chorus calls that URL as Meta's verification would and says what happened.
 */
export function registerWebhookSettingsRoutes(app: ChorusApp, deps: HttpDeps, extra: WebhookSettingsDeps): void {
  const tags = ['settings'];
  const webhookUrl = (c: Context) => {
    const url = new URL('/webhooks/whatsapp', c.req.url);
    if (isHttps(c, deps.trustProxy)) url.protocol = 'https:';
    return url.href;
  };
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/settings/webhook',
      tags,
      security: bearerSecurity,
      responses: { 200: jsonResponse(settingsSchema, 'What to paste into Meta'), ...errorResponses },
    }),
    (c) =>
      c.json(
        { url: webhookUrl(c), verify_token: extra.verifyToken() ?? null, app_secret_set: extra.hasAppSecret() },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/settings/webhook/check',
      tags,
      security: bearerSecurity,
      description:
        "Calls the webhook URL, as this request reached Chorus, with Meta's verification handshake and the configured token.",
      responses: {
        200: jsonResponse(checkSchema, 'Whether the handshake answered as Meta expects'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const url = webhookUrl(c);
      const token = extra.verifyToken();
      if (token === undefined) {
        return c.json(
          { ok: false, url, message: 'No verify token is set (WA_VERIFY_TOKEN): Meta cannot verify the URL.' },
          200,
        );
      }
      const handshake = await verifyHandshake(url, token);
      if (handshake.ok && !extra.hasAppSecret()) {
        const message = 'The URL answered, but no sender has an app secret: signed events will be refused.';
        return c.json({ url, ok: false, message }, 200);
      }
      return c.json({ url, ...handshake }, 200);
    },
  );
}

async function verifyHandshake(url: string, token: string): Promise<{ ok: boolean; message: string }> {
  const challenge = randomBytes(8).toString('hex');
  const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': challenge });
  try {
    const answer = await fetch(`${url}?${query}`, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
    const body = await answer.text();
    if (answer.ok && body === challenge) return { ok: true, message: 'The URL answered the verification handshake.' };
    return { ok: false, message: `The URL answered ${answer.status} without the challenge: ${body.slice(0, 200)}` };
  } catch (error) {
    return { ok: false, message: `The URL could not be reached from Chorus: ${coerceError(error).message}` };
  }
}
