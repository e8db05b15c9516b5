// Sandbox mode: the built-in Cloud API simulator runs in-process and stands in for Meta, so
// Chorus can be tried without a Meta account (CONTRACT.md "Set-up").
import { randomBytes, randomInt } from 'node:crypto';
import { DEFAULT_GRAPH_API_VERSION, type WhatsAppCredentials } from './config.ts';
import type { Logger } from './logger.ts';
import { startSimulator } from './simulator/index.ts';
import { SANDBOX_TEMPLATES } from './simulator/sandbox-templates.ts';
import type { SimulatorControl } from './simulator/types.ts';

/** A running sandbox: where the fake Graph API listens and the credentials it accepts. */
export interface Sandbox {
  graph: { baseUrl: string; apiVersion: string };
  credentials: WhatsAppCredentials;
  control: SimulatorControl;
  /** Points the simulator's webhooks at Chorus's own /webhooks/whatsapp once it listens. */
  setWebhookUrl(url: string): void;
  close(): Promise<void>;
}

/** The sender limits the simulated number should have: the same as the configured sender's. */
export interface SandboxLimits {
  ratePerSec: number;
  dailyRecipientLimit: number;
}

const numericId = () => `${randomInt(100_000, 999_999)}${randomInt(100_000_000, 999_999_999)}`;

/** Starts the simulator on 127.0.0.1 (any port) with fresh credentials and the sandbox templates. */
export async function startSandbox(
  logger: Logger,
  limits?: SandboxLimits,
  apiVersion = DEFAULT_GRAPH_API_VERSION,
): Promise<Sandbox> {
  const credentials: WhatsAppCredentials = {
    phoneNumberId: numericId(),
    businessAccountId: numericId(),
    accessToken: `SANDBOX${randomBytes(24).toString('base64url')}`,
    appSecret: randomBytes(16).toString('hex'),
    verifyToken: randomBytes(12).toString('hex'),
  };
  const simulator = await startSimulator({
    accessToken: credentials.accessToken,
    phoneNumberId: credentials.phoneNumberId,
    businessAccountId: credentials.businessAccountId,
    appSecret: credentials.appSecret as string,
    seed: randomInt(2 ** 31),
    templates: SANDBOX_TEMPLATES.map((t) => structuredClone(t)),
    behaviour: limits ? { mps: limits.ratePerSec, dailyRecipientLimit: limits.dailyRecipientLimit } : {},
  });
  logger.warn(
    { simulator: simulator.url, phoneNumberId: credentials.phoneNumberId },
    `Sandbox mode: messages go to the built-in Cloud API simulator at ${simulator.url}, not to WhatsApp`,
  );
  return {
    graph: { baseUrl: simulator.url, apiVersion },
    credentials,
    control: simulator.control,
    setWebhookUrl(url) {
      // A server bound to every interface is still reached on loopback.
      simulator.control.setWebhookUrl(url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//127.0.0.1:'));
    },
    close: () => simulator.close(),
  };
}
