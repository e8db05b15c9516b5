// Which senders the doctor checks and with which credentials: the default sender's come from the
// WA_* variables, the others' are stored sealed and opened with the server's key. Sandbox senders
// live on the simulator inside `chorus start`, which the doctor cannot reach.
import { DEFAULT_SENDER_ID } from '../app/senders.ts';
import type { Config } from '../config.ts';
import { coerceError } from '../domain/errors.ts';
import { openCredentialBox, secretKeyFile } from '../secret-key.ts';
import type { Database } from '../store/db.ts';
import { listSenders, type Sender } from '../store/senders-repo.ts';
import { type CheckResult, fail, ok, skip, warn } from './check.ts';
import type { SenderToCheck } from './sender-checks.ts';
import type { WebhookSetup } from './webhook-checks.ts';

const SANDBOX_DEFAULT =
  "sandbox mode (no WA_* credentials): the default sender's simulator lives inside `chorus start`, with credentials made at each start; nothing to reach from here";
const SANDBOX_STORED =
  'a sandbox sender: its number lives on the simulator inside `chorus start` in sandbox mode; nothing to reach from here';

/** The senders to check against the Graph API, and what was found without calling it. */
export interface SenderPlan {
  toCheck: SenderToCheck[];
  /** Lines settled without a call: sandbox senders, credentials that cannot be opened, pauses. */
  results: CheckResult[];
  /** The app secrets of live senders (undefined when none is live: sandbox mode alone). */
  webhooks: Omit<WebhookSetup, 'http'> | undefined;
  /** Every business account in use, for the template sync check. */
  businessAccountIds: string[];
}

/** Gathers the senders from configuration and the database. */
export async function planSenders(database: Database, config: Config): Promise<SenderPlan> {
  const all = await listSenders(database.db);
  const plan: SenderPlan = { toCheck: [], results: [pauseLine(all)], webhooks: undefined, businessAccountIds: [] };
  const withSecret: string[] = [];
  const withoutSecret: string[] = [];
  const wabas = new Set<string>();
  if (config.whatsapp) {
    const { phoneNumberId, businessAccountId, accessToken, appSecret } = config.whatsapp;
    plan.toCheck.push({
      id: DEFAULT_SENDER_ID,
      phoneNumberId,
      businessAccountId,
      accessToken,
      mps: config.sender.ratePerSec,
      tokenFix: 'set WA_ACCESS_TOKEN and restart Chorus',
    });
    (appSecret ? withSecret : withoutSecret).push(DEFAULT_SENDER_ID);
    wabas.add(businessAccountId);
  } else plan.results.push(skip(`sender ${DEFAULT_SENDER_ID}`, SANDBOX_DEFAULT));
  const box = openCredentialBox(config.secretKey, secretKeyFile(config.database));
  for (const sender of all.filter((s) => s.id !== DEFAULT_SENDER_ID)) {
    if (sender.isSandbox) {
      plan.results.push(skip(`sender ${sender.id}`, SANDBOX_STORED));
      continue;
    }
    wabas.add(sender.businessAccountId);
    const opened = openCredentials(sender, box);
    if ('failure' in opened) {
      plan.results.push(opened.failure);
      continue;
    }
    plan.toCheck.push(opened.sender);
    (sender.appSecretSealed === null ? withoutSecret : withSecret).push(sender.id);
  }
  if (withSecret.length + withoutSecret.length > 0)
    plan.webhooks = { withSecret, withoutSecret, verifyToken: config.whatsapp?.verifyToken };
  plan.businessAccountIds = [...wabas];
  return plan;
}

function openCredentials(
  sender: Sender,
  box: ReturnType<typeof openCredentialBox>,
): { sender: SenderToCheck } | { failure: CheckResult } {
  const name = `sender ${sender.id}`;
  const tokenFix = `PATCH /api/v1/senders/${sender.id} with a new access_token`;
  if (sender.accessTokenSealed === null)
    return { failure: fail(name, 'no access token stored', `give it one: ${tokenFix}`) };
  try {
    const accessToken = box.open(sender.accessTokenSealed, sender.id);
    const { id, phoneNumberId, businessAccountId, ratePerSec } = sender;
    return { sender: { id, phoneNumberId, businessAccountId, accessToken, mps: ratePerSec, tokenFix } };
  } catch (error) {
    return {
      failure: fail(
        name,
        `its stored credentials cannot be opened: ${coerceError(error).message}`,
        `run with the CHORUS_SECRET_KEY (or data/secret.key) they were sealed with, or ${tokenFix}`,
      ),
    };
  }
}

/** One line on every sender's pause: a paused sender sends nothing until resumed. */
function pauseLine(senders: readonly Sender[]): CheckResult {
  const paused = senders.filter((s) => s.pausedReason !== null);
  if (senders.length === 0) return ok('senders', 'none stored yet: `chorus start` registers the default sender');
  if (paused.length === 0) return ok('senders', `${senders.length} active`);
  const list = paused.map((s) => `${s.id} (by ${s.pausedBy ?? 'person'}: ${s.pausedReason})`).join('; ');
  return warn('senders', `paused, sending nothing: ${list}`, 'fix the cause, then `chorus senders resume ID`');
}
