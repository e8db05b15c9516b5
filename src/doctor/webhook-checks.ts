// Webhook verification, as far as it can be checked from here: an app secret to check signatures
// with, a verify token for Meta's verification GET, and, when a Chorus server runs at HOST:PORT,
// the verification handshake itself. Whether Meta can reach the callback URL only Meta can tell.
import type { Config } from '../config.ts';
import { type CheckResult, fail, ok, skip, warn } from './check.ts';

const HANDSHAKE_TIMEOUT_MS = 3_000;

/** What the webhook checks need to know. */
export interface WebhookSetup {
  /** Ids of the senders with an app secret, and of those without. */
  withSecret: string[];
  withoutSecret: string[];
  verifyToken: string | undefined;
  /** Where this configuration's server would listen. */
  http: Config['http'];
}

/** The app secrets, the verify token, and the local verification handshake. */
export async function checkWebhooks(setup: WebhookSetup): Promise<CheckResult[]> {
  return [checkSecrets(setup), await checkVerification(setup)];
}

function checkSecrets({ withSecret, withoutSecret }: WebhookSetup): CheckResult {
  if (withSecret.length === 0)
    return fail(
      'webhook signatures',
      'no sender has an app secret: every webhook is refused, so no status or reply arrives',
      "set WA_APP_SECRET (App settings > Basic > App secret), or a sender's app_secret",
    );
  if (withoutSecret.length > 0)
    return warn(
      'webhook signatures',
      `no app secret for ${withoutSecret.join(', ')}: their webhooks pass only if signed with another sender's secret`,
      "set each sender's app_secret (PATCH /api/v1/senders/{id}) unless they share one app",
    );
  return ok('webhook signatures', `an app secret is set for ${withSecret.join(', ')}`);
}

async function checkVerification({ verifyToken, http }: WebhookSetup): Promise<CheckResult> {
  const name = 'webhook verification';
  if (verifyToken === undefined)
    return warn(
      name,
      "no verify token: Meta's verification GET will be refused when the callback URL is set or changed",
      "set WA_VERIFY_TOKEN and enter the same value as the app's webhook Verify token",
    );
  const challenge = String(Date.now());
  const host = http.host === '0.0.0.0' || http.host === '::' ? '127.0.0.1' : http.host;
  const query = new URLSearchParams({
    'hub.mode': 'subscribe',
    'hub.verify_token': verifyToken,
    'hub.challenge': challenge,
  });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${http.port}/webhooks/whatsapp`;
  let answer: Response;
  try {
    answer = await fetch(`${url}?${query}`, { signal: AbortSignal.timeout(HANDSHAKE_TIMEOUT_MS) });
  } catch {
    return skip(name, `verify token set; no server answers at ${url} to try the handshake on`);
  }
  const body = await answer.text();
  if (answer.status === 200 && body === challenge) return ok(name, `verify token set; ${url} answers the handshake`);
  return fail(
    name,
    `${url} refused the verification handshake with this verify token (HTTP ${answer.status})`,
    'the server at HOST:PORT runs with another WA_VERIFY_TOKEN: restart it with this one',
  );
}
