// Each sender against Meta (or the simulator): do its credentials open the phone number, is the
// number healthy and its throughput what the sender is set to, and is an app subscribed to its
// WABA's webhooks. The answers' Date headers also give Meta's clock.
import { AccountApi, type PhoneNumberInfo } from '../cloud-api/account-api.ts';
import { MetaApiError } from '../cloud-api/graph-call.ts';
import type { Config } from '../config.ts';
import { coerceError } from '../domain/errors.ts';
import { type CheckResult, fail, ok, warn } from './check.ts';

// §3: STANDARD numbers take 80 msg/s; HIGH, after the automatic upgrade, 1,000.
const STANDARD_MPS = 80;
const GRAPH_TIMEOUT_MS = 10_000;

/** A sender with its plain credentials, ready to check. */
export interface SenderToCheck {
  id: string;
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
  mps: number;
  /** Where to change its token: the environment (default sender) or the API. */
  tokenFix: string;
}

/** What checking one sender found, and Meta's clock against ours when an answer carried one. */
export interface SenderFindings {
  results: CheckResult[];
  /** Meta's clock minus ours (ms), from the phone number answer's Date header. */
  skewMs: number | null;
}

/** Reads the sender's phone number and its WABA's subscribed apps. */
export async function checkSender(
  sender: SenderToCheck,
  graph: Config['graph'],
  clock: () => number,
): Promise<SenderFindings> {
  const api = new AccountApi({
    graphUrl: graph.baseUrl,
    apiVersion: graph.apiVersion,
    accessToken: sender.accessToken,
  });
  const name = `sender ${sender.id}`;
  const startedAt = clock();
  let phone: Awaited<ReturnType<AccountApi['readPhoneNumber']>>;
  try {
    phone = await api.readPhoneNumber(sender.phoneNumberId, AbortSignal.timeout(GRAPH_TIMEOUT_MS));
  } catch (error) {
    return { results: [fail(name, explainGraphError(error, graph), fixFor(error, sender))], skewMs: null };
  }
  // The Date header has whole seconds: compare its middle with the middle of the request.
  const skewMs = phone.serverDateMs === null ? null : phone.serverDateMs + 500 - Math.round((startedAt + clock()) / 2);
  return { results: [judgePhone(name, phone.info, sender), await checkSubscription(api, sender)], skewMs };
}

function judgePhone(name: string, info: PhoneNumberInfo, sender: SenderToCheck): CheckResult {
  const number = info.displayPhoneNumber ?? sender.phoneNumberId;
  const message = `credentials accepted: ${number}${info.verifiedName ? ` (${info.verifiedName})` : ''}, quality ${info.qualityRating ?? 'unknown'}, throughput ${info.throughputLevel ?? 'unknown'}, ${info.messagingLimitTier ?? 'messaging limit unknown'}`;
  if (info.qualityRating === 'RED' || info.qualityRating === 'YELLOW')
    return warn(
      name,
      message,
      'quality is falling: people block or report these messages; send less marketing, check consent and opt-outs',
    );
  if (info.throughputLevel === 'STANDARD' && sender.mps > STANDARD_MPS)
    return warn(
      name,
      `${message}; it is set to ${sender.mps} msg/s`,
      `a STANDARD number takes ${STANDARD_MPS} msg/s (more gets 130429): set its mps to ${STANDARD_MPS} until Meta upgrades it`,
    );
  return ok(name, message);
}

async function checkSubscription(api: AccountApi, sender: SenderToCheck): Promise<CheckResult> {
  const name = `webhooks ${sender.id}`;
  try {
    const apps = await api.listSubscribedApps(sender.businessAccountId, AbortSignal.timeout(GRAPH_TIMEOUT_MS));
    if (apps.length > 0) return ok(name, `WABA ${sender.businessAccountId} sends its webhooks to ${apps.join(', ')}`);
    return fail(
      name,
      `no app is subscribed to WABA ${sender.businessAccountId}'s webhooks: no status or reply will arrive`,
      `subscribe the app: POST /${sender.businessAccountId}/subscribed_apps with its token, and set the callback URL to /webhooks/whatsapp in the app's settings`,
    );
  } catch (error) {
    return warn(
      name,
      `could not list the apps subscribed to WABA ${sender.businessAccountId}: ${coerceError(error).message}`,
      'check that the token may manage the WABA (whatsapp_business_management)',
    );
  }
}

/** Meta's error in plain words: a rejected token says so first. */
function explainGraphError(error: unknown, graph: Config['graph']): string {
  if (!(error instanceof MetaApiError)) return `could not read the phone number: ${coerceError(error).message}`;
  const { code, title, details } = error.error;
  // 190: a bad or expired token; 0: none Meta could read (reference/cloud-api.md §2).
  if (code === 190 || code === 0) return `token rejected (${code}): ${title}`;
  if (code === null) return `Graph API at ${graph.baseUrl} not reached: ${title}${details ? ` (${details})` : ''}`;
  return `phone number not readable (${code}): ${title}`;
}

function fixFor(error: unknown, sender: SenderToCheck): string {
  const code = error instanceof MetaApiError ? error.error.code : null;
  if (code === 190 || code === 0) return `give it a valid system-user token: ${sender.tokenFix}`;
  if (code === 100) return `check its phone number id (${sender.phoneNumberId}) and that the token's app may use it`;
  return 'check WA_GRAPH_URL and the network between Chorus and the Graph API';
}

/** Meta's clock against ours: warn past 5 s, fail past 60 s; null when no answer carried a Date. */
export function judgeClock(skewMs: number | null): CheckResult | undefined {
  if (skewMs === null) return undefined;
  const seconds = Math.abs(skewMs) / 1000;
  const message = `this machine's clock is ${seconds.toFixed(0)} s ${skewMs > 0 ? 'behind' : 'ahead of'} the Graph API's`;
  const fix =
    'turn on time synchronisation (e.g. `timedatectl set-ntp true`): schedules, send windows and webhook lag depend on it';
  if (seconds > 60) return fail('clock', message, fix);
  if (seconds > 5) return warn('clock', message, fix);
  return ok('clock', `within ${Math.max(1, Math.ceil(seconds))} s of the Graph API's clock`);
}
