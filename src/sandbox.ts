// Sandbox mode: the built-in Cloud API simulator runs in-process and stands in for Meta, so
// Chorus can be tried without a Meta account (docs/command-line-and-api.md). Every sandbox number runs
// on a simulator of its own, with its own credentials, templates and limits, and all of them
// sign their webhooks for the one /webhooks/whatsapp.
import { randomBytes, randomInt } from 'node:crypto';
import { DEFAULT_GRAPH_API_VERSION, type WhatsAppCredentials } from './config.ts';
import type { Logger } from './logger.ts';
import { startSimulator } from './simulator/index.ts';
import { SANDBOX_TEMPLATES } from './simulator/sandbox-templates.ts';
import type { RunningSimulator, SimulatorControl } from './simulator/types.ts';

/** A running sandbox: where the default number's fake Graph API listens and the credentials it accepts. */
export interface Sandbox {
  graph: { baseUrl: string; apiVersion: string };
  credentials: WhatsAppCredentials;
  control: SimulatorControl;
  /** A new number on its own simulator, with fresh credentials (a sender added in sandbox mode). */
  provisionNumber(limits: SandboxLimits): Promise<SandboxNumberCredentials>;
  /** Runs a stored sandbox number again (after a restart) and answers where its Graph API is. */
  registerNumber(number: SandboxNumberCredentials & SandboxLimits): Promise<{ baseUrl: string; apiVersion: string }>;
  /** Points every simulator's webhooks at Chorus's own /webhooks/whatsapp once it listens. */
  setWebhookUrl(url: string): void;
  close(): Promise<void>;
}

/** The limits a simulated number should enforce: the same as its sender's. */
export interface SandboxLimits {
  ratePerSec: number;
  dailyRecipientLimit: number;
}

/** What identifies a simulated number and what it accepts. */
export interface SandboxNumberCredentials {
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
  appSecret: string;
}

const numericId = () => `${randomInt(100_000, 999_999)}${randomInt(100_000_000, 999_999_999)}`;

function freshCredentials(): SandboxNumberCredentials {
  return {
    phoneNumberId: numericId(),
    businessAccountId: numericId(),
    accessToken: `SANDBOX${randomBytes(24).toString('base64url')}`,
    appSecret: randomBytes(16).toString('hex'),
  };
}

/** Starts the default number's simulator on 127.0.0.1 (any port) with fresh credentials and the sandbox templates. */
export async function startSandbox(
  logger: Logger,
  limits?: SandboxLimits,
  apiVersion = DEFAULT_GRAPH_API_VERSION,
): Promise<Sandbox> {
  const first = freshCredentials();
  const simulators = new Map<string, RunningSimulator>();
  let webhookUrl: string | undefined;
  const run = async (number: SandboxNumberCredentials, numberLimits: SandboxLimits | undefined) => {
    const running = simulators.get(number.phoneNumberId);
    if (running) return running;
    const simulator = await startSimulator({
      ...number,
      seed: randomInt(2 ** 31),
      templates: SANDBOX_TEMPLATES.map((t) => structuredClone(t)),
      behaviour: numberLimits ? simulatedLimits(numberLimits) : {},
      ...(webhookUrl === undefined ? {} : { webhookUrl }),
    });
    simulators.set(number.phoneNumberId, simulator);
    return simulator;
  };
  const simulator = await run(first, limits);
  logger.warn(
    { simulator: simulator.url, phoneNumberId: first.phoneNumberId },
    `Sandbox mode: messages go to the built-in Cloud API simulator at ${simulator.url}, not to WhatsApp`,
  );
  return {
    graph: { baseUrl: simulator.url, apiVersion },
    credentials: { ...first, verifyToken: randomBytes(12).toString('hex') },
    control: simulator.control,
    async provisionNumber(numberLimits) {
      const number = freshCredentials();
      await run(number, numberLimits);
      return number;
    },
    async registerNumber(number) {
      return { baseUrl: (await run(number, number)).url, apiVersion };
    },
    setWebhookUrl(url) {
      // A server bound to every interface is still reached on loopback.
      webhookUrl = url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//127.0.0.1:');
      for (const running of simulators.values()) running.control.setWebhookUrl(webhookUrl);
    },
    async close() {
      await Promise.all([...simulators.values()].map((s) => s.close()));
    },
  };
}

/** The simulator enforces the number's limits as Meta would; a cap of 0 (no limit) is not enforced. */
function simulatedLimits({ ratePerSec, dailyRecipientLimit }: SandboxLimits) {
  return ratePerSec > 0 ? { mps: ratePerSec, dailyRecipientLimit } : { isMpsCapEnforced: false, dailyRecipientLimit };
}
