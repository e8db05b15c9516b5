// Sandbox mode: the simulator starts with fresh credentials and the documented sandbox templates.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { type Sandbox, startSandbox } from './sandbox.ts';
import { startReceiver } from './simulator/testing.ts';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const chunks: string[] = [];
const logger = createLogger('info', { write: (line: string) => chunks.push(line) });

describe('startSandbox', () => {
  it('announces itself and serves the documented sandbox templates, APPROVED in en_US, with fresh credentials', async () => {
    sandbox = await startSandbox(logger, { ratePerSec: 80, dailyRecipientLimit: 100_000 }, 'v23.0');
    expect(chunks.join('')).toContain(
      `Sandbox mode: messages go to the built-in Cloud API simulator at ${sandbox.graph.baseUrl}, not to WhatsApp`,
    );
    expect(chunks.join('')).not.toContain(sandbox.credentials.accessToken);
    const { businessAccountId, accessToken, appSecret, verifyToken } = sandbox.credentials;
    expect([accessToken, appSecret, verifyToken].every((v) => typeof v === 'string' && v.length >= 16)).toBe(true);
    const list = await fetch(
      `${sandbox.graph.baseUrl}/${sandbox.graph.apiVersion}/${businessAccountId}/message_templates?limit=100`,
      {
        headers: { authorization: `Bearer ${accessToken}` },
      },
    ).then(
      (r) =>
        r.json() as Promise<{
          data: { name: string; status: string; language: string; category: string; parameter_format: string }[];
        }>,
    );
    const byName = new Map(list.data.map((t) => [t.name, t]));
    expect(byName.get('hello_world')).toMatchObject({ status: 'APPROVED', language: 'en_US', category: 'UTILITY' });
    expect(byName.get('welcome')).toMatchObject({ status: 'APPROVED', category: 'MARKETING' });
    expect(byName.get('order_update')).toMatchObject({ status: 'APPROVED', category: 'UTILITY' });
    expect([...byName.values()].some((t) => t.parameter_format === 'NAMED')).toBe(true);
    const second = await startSandbox(logger);
    expect(second.credentials.accessToken).not.toBe(accessToken);
    await second.close();
  });

  it('starts with no throughput limit (WA_MPS=0), the simulator enforcing none', async () => {
    sandbox = await startSandbox(logger, { ratePerSec: 0, dailyRecipientLimit: 100_000 }, 'v23.0');
    const behaviour = await fetch(`${sandbox.graph.baseUrl}/_sim/behaviour`).then(
      (r) => r.json() as Promise<{ isMpsCapEnforced: boolean; dailyRecipientLimit: number }>,
    );
    expect(behaviour).toMatchObject({ isMpsCapEnforced: false, dailyRecipientLimit: 100_000 });
  });

  it('sends to the simulator and posts signed webhooks where setWebhookUrl points', async () => {
    sandbox = await startSandbox(logger);
    const receiver = await startReceiver();
    sandbox.setWebhookUrl(receiver.url);
    const { phoneNumberId, accessToken, appSecret } = sandbox.credentials;
    const answer = await fetch(`${sandbox.graph.baseUrl}/${sandbox.graph.apiVersion}/${phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: '+447700901501',
        type: 'template',
        template: { name: 'hello_world', language: { code: 'en_US' } },
      }),
    });
    expect(answer.status).toBe(200);
    await sandbox.control.flushWebhooks();
    const deadline = Date.now() + 3000;
    while (receiver.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const hook = receiver.received[0]!;
    expect(hook.signature).toBe(
      `sha256=${createHmac('sha256', appSecret as string)
        .update(hook.rawBody)
        .digest('hex')}`,
    );
    await receiver.close();
  });
});
