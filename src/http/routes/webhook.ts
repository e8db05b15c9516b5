import { bodyLimit } from 'hono/body-limit';
import type { WebhookEvent } from '../../cloud-api/webhook-events.ts';
import { parseWebhookBody, WebhookPayloadError } from '../../cloud-api/webhook-parser.ts';
import { answerVerification, verifyWebhookSignature } from '../../cloud-api/webhook-signature.ts';
import { AppError } from '../../domain/errors.ts';
import type { ChorusApp } from '../app.ts';
import { errorResponse } from '../on-error.ts';

/** Meta sends at most 3 MB a batch (reference/cloud-api.md §4); a little headroom, then refuse. */
export const WEBHOOK_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** The secrets the webhook endpoint checks against (real ones, or the sandbox's). */
export interface WebhookSecrets {
  appSecret: string | undefined;
  verifyToken: string | undefined;
}

/** What the webhook endpoint needs beyond the common HTTP deps. */
export interface WebhookDeps {
  secrets: () => WebhookSecrets;
  /** Stores and applies a verified batch, and acts on it (opt-outs, pauses), before the 200 goes out. */
  apply: (events: WebhookEvent[]) => Promise<void>;
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
    bodyLimit({
      maxSize: WEBHOOK_BODY_LIMIT_BYTES,
      onError: (c) => errorResponse(c, new AppError('payload_too_large', 'webhook batches are limited to 4 MB')),
    }),
    async (c) => {
      const { appSecret } = webhook.secrets();
      if (!appSecret) {
        return errorResponse(c, new AppError('forbidden', 'webhooks are refused: WA_APP_SECRET is not set'));
      }
      const raw = new Uint8Array(await c.req.arrayBuffer());
      if (!verifyWebhookSignature(raw, c.req.header('x-hub-signature-256'), appSecret)) {
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
      await webhook.apply(events);
      return c.json({ ok: true });
    },
  );
}
