import type { WebhookEvent } from '../../cloud-api/webhook-events.ts';
import { parseWebhookBody, WebhookPayloadError } from '../../cloud-api/webhook-parser.ts';
import { answerVerification, verifyWebhookSignature } from '../../cloud-api/webhook-signature.ts';
import { AppError } from '../../domain/errors.ts';
import type { Logger } from '../../logger.ts';
import type { ChorusApp } from '../app.ts';
import { limitBody } from '../body-limit.ts';
import { errorResponse } from '../on-error.ts';

/** Meta sends at most 3 MB a batch (reference/cloud-api.md §4); a little headroom, then refuse. */
export const WEBHOOK_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** The secrets the webhook endpoint checks against (real ones, or the sandbox's). */
export interface WebhookSecrets {
  /** One app secret per sender that has one: a signature is valid under any of them. */
  appSecrets: string[];
  verifyToken: string | undefined;
}

/** What the webhook endpoint needs beyond the common HTTP deps. */
export interface WebhookDeps {
  secrets: () => WebhookSecrets;
  /** Stores and applies a verified batch, and acts on it (opt-outs, pauses), before the 200 goes out; `log` is the request's. */
  apply: (events: WebhookEvent[], log: Logger) => Promise<void>;
}

/** GET verification and POST events at /webhooks/whatsapp. */
export function registerWebhookRoutes(app: ChorusApp, webhook: WebhookDeps): void {
  app.get('/webhooks/whatsapp', (c) => {
    const answer = answerVerification(
      {
        'hub.mode': c.req.query('hub.mode'),
        'hub.verify_token': c.req.query('hub.verify_token'),
        'hub.challenge': c.req.query('hub.challenge'),
      },
      webhook.secrets().verifyToken,
    );
    if (answer.ok) return c.text(answer.challenge, 200);
    return errorResponse(c, new AppError('forbidden', `webhook verification refused: ${answer.reason}`));
  });

  app.post(
    '/webhooks/whatsapp',
    limitBody(WEBHOOK_BODY_LIMIT_BYTES, (c) =>
      errorResponse(c, new AppError('payload_too_large', 'webhook batches are limited to 4 MB')),
    ),
    async (c) => {
      const { appSecrets } = webhook.secrets();
      if (appSecrets.length === 0) {
        return errorResponse(
          c,
          new AppError(
            'forbidden',
            "webhooks are refused: no app secret is set (WA_APP_SECRET, or a sender's app_secret)",
          ),
        );
      }
      const raw = new Uint8Array(await c.req.arrayBuffer());
      const signature = c.req.header('x-hub-signature-256');
      // Every secret is tried (each comparison in constant time), so which one matched leaks nothing.
      const matches = appSecrets.map((secret) => verifyWebhookSignature(raw, signature, secret));
      if (!matches.includes(true)) {
        return errorResponse(c, new AppError('unauthorized', 'X-Hub-Signature-256 does not match the body'));
      }
      let events: WebhookEvent[];
      try {
        events = parseWebhookBody(raw);
      } catch (error) {
        if (error instanceof WebhookPayloadError)
          return errorResponse(c, new AppError('validation_failed', error.message));
        throw error;
      }
      await webhook.apply(events, c.get('log'));
      // Meta posts up to thousands a second (often one status each): at info their answers would
      // drown every other line. Refused ones are still logged at info, and metrics count them all.
      c.set('isRoutine', true);
      return c.json({ ok: true });
    },
  );
}
