import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordOptIn, recordOptOut } from '../../app/consent.ts';
import { createCredentialBox } from '../../app/credential-box.ts';
import { DEFAULT_SENDER_ID } from '../../app/senders.ts';
import { syncTemplates } from '../../app/sync-templates.ts';
import { CloudApiClient } from '../../cloud-api/cloud-api-client.ts';
import { toTemplateDefinition } from '../../cloud-api/template-definition.ts';
import { TemplatesApi } from '../../cloud-api/templates-api.ts';
import { type Json, startTestSimulator, TEST_IDS } from '../../simulator/testing.ts';
import { recordErasure } from '../../store/erased-numbers-repo.ts';
import { getSender, type Sender, upsertSender } from '../../store/senders-repo.ts';
import { addSuppression } from '../../store/suppressions-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestAs, requestWithSession, signInAs } from '../testing.ts';
import { ACCESS_ROUTES, seedUser, TEST_PASSWORD } from './access-testing.ts';
import { registerSenderRoutes } from './senders.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const GRAPH = { graphUrl: '', apiVersion: 'v23.0', accessToken: TEST_IDS.accessToken };

describe.each(TEST_BACKENDS)("a sender's test message on %s, through the simulator", (backend) => {
  let test: TestDatabase;
  let app: ChorusApp;
  let sim: Awaited<ReturnType<typeof startTestSimulator>>;
  let client: CloudApiClient;
  const sentThrough: string[] = [];
  const call = async (body: unknown, senderId = DEFAULT_SENDER_ID) => {
    const res = await requestAs(app, 'POST', `/api/v1/senders/${senderId}/test`, {
      body: JSON.stringify(body),
      type: 'application/json',
    });
    return { status: res.status, json: (await res.json()) as Json };
  };
  const accepted = () => sim.sim.control.acceptedMessages();

  beforeAll(async () => {
    [test, sim] = await Promise.all([createTestDatabase(backend), startTestSimulator()]);
    const graph = { ...GRAPH, graphUrl: sim.sim.url };
    client = new CloudApiClient({ ...graph, phoneNumberId: TEST_IDS.phoneNumberId });
    const templatesApi = new TemplatesApi({ ...graph, wabaId: TEST_IDS.businessAccountId });
    await upsertSender(
      test.database.db,
      {
        id: DEFAULT_SENDER_ID,
        phoneNumberId: TEST_IDS.phoneNumberId,
        businessAccountId: TEST_IDS.businessAccountId,
        ratePerSec: 80,
        dailyLimit: 1_000,
      },
      NOW,
    );
    const sender = (await getSender(test.database.db, DEFAULT_SENDER_ID)) as Sender;
    await syncTemplates(
      test.database,
      sender,
      async (signal) => (await templatesApi.listTemplates(signal)).map(toTemplateDefinition),
      NOW,
      AbortSignal.timeout(5_000),
    );
    ({ app } = await createTestApi(
      test.database,
      [
        ...ACCESS_ROUTES,
        (a, d) =>
          registerSenderRoutes(a, d, {
            admin: { box: createCredentialBox(Buffer.alloc(32, 7)) },
            onSenderChanged: () => {},
            sendNow: (senderId, message, signal) => {
              sentThrough.push(senderId);
              return client.send(message, signal);
            },
          }),
      ],
      NOW,
    ));
  });
  afterAll(async () => {
    await client?.close();
    await sim?.close();
    await test?.drop();
  });

  it('sends the first approved template without parameters by default, and WhatsApp accepts it', async () => {
    const res = await call({ phone: '+49 151 23456789' });
    expect(res).toMatchObject({
      status: 200,
      json: { status: 'accepted', error: null, template: { name: 'hello_world', language: 'en_US' } },
    });
    expect(res.json.wamid).toMatch(/^wamid\./);
    expect(sentThrough.at(-1)).toBe(DEFAULT_SENDER_ID);
    const last = accepted().at(-1);
    expect(last).toMatchObject({ waId: '4915123456789', wamid: res.json.wamid, callbackData: 'test:sender:default' });
  });

  it('sends a named template with its body values', async () => {
    const res = await call({
      phone: '+4915123456789',
      template: { name: 'welcome', language: 'en_US' },
      params: { body: ['Ada'] },
    });
    expect(res.json).toMatchObject({ status: 'accepted', template: { name: 'welcome' } });
    expect(accepted().at(-1)?.wamid).toBe(res.json.wamid);
  });

  it("answers 200 failed with Meta's error explained when the Cloud API refuses it", async () => {
    sim.sim.control.setTemplateStatus({ name: 'hello_world', language: 'en_US' }, 'PAUSED');
    try {
      const res = await call({ phone: '+4915123456789', template: { name: 'hello_world', language: 'en_US' } });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ status: 'failed', wamid: null, error: { code: 132015 } });
      expect(res.json.error.explanation).toEqual(expect.any(String));
    } finally {
      sim.sim.control.setTemplateStatus({ name: 'hello_world', language: 'en_US' }, 'APPROVED');
    }
  });

  it('refuses an unknown sender, a bad phone, an unknown template or missing values, naming the field', async () => {
    const before = accepted().length;
    expect(await call({ phone: '+4915123456789' }, 'nope')).toMatchObject({
      status: 404,
      json: { error: { code: 'not_found', field: 'id' } },
    });
    expect(await call({ phone: '12' })).toMatchObject({ status: 400, json: { error: { field: 'phone' } } });
    const unknown = await call({ phone: '+4915123456789', template: { name: 'no_such', language: 'en_US' } });
    expect(unknown).toMatchObject({ status: 404, json: { error: { field: 'template.name' } } });
    const noValues = await call({ phone: '+4915123456789', template: { name: 'welcome', language: 'en_US' } });
    expect(noValues.status).toBe(400);
    expect(noValues.json.error.field).toMatch(/^params/);
    expect(accepted()).toHaveLength(before);
  });

  it('refuses a template that is not approved as a campaign would, naming template', async () => {
    await test.database.db
      .updateTable('templates')
      .set({ status: 'PAUSED' })
      .where('name', '=', 'order_update')
      .execute();
    const res = await call({
      phone: '+4915123456789',
      template: { name: 'order_update', language: 'en_US' },
      params: { body: ['Ada', 'A1'] },
    });
    expect(res).toMatchObject({ status: 422, json: { error: { code: 'template_not_approved', field: 'template' } } });
    expect(res.json.error.message).toContain('PAUSED');
  });

  it('never sends to a suppressed, erased or opted-out number', async () => {
    const before = accepted().length;
    await addSuppression(test.database.db, { phone: '+4915100000001', reason: 'blocked', source: 'test', now: NOW });
    await recordErasure(test.database.db, { phone: '+4915100000002', requestedBy: 'test', now: NOW });
    await recordOptOut(test.database.db, '+4915100000003', { source: 'test' }, () => NOW);
    await recordOptIn(test.database.db, '+4915100000004', { source: 'test' }, () => NOW - 1);
    await recordOptOut(test.database.db, '+4915100000004', { source: 'test', purpose: 'marketing' }, () => NOW);
    for (const [phone, reason] of [
      ['+4915100000001', 'blocked'],
      ['+4915100000002', 'erased'],
      ['+4915100000003', 'opted out'],
    ]) {
      const refused = await call({ phone });
      expect(refused).toMatchObject({ status: 409, json: { error: { code: 'conflict', field: 'phone' } } });
      expect(refused.json.error.message).toContain(`suppression list (${reason})`);
    }
    const marketing = { name: 'welcome', language: 'en_US' };
    const stopped = await call({ phone: '+4915100000004', template: marketing, params: { body: ['Ada'] } });
    expect(stopped).toMatchObject({ status: 409, json: { error: { field: 'phone' } } });
    expect(stopped.json.error.message).toContain('opted out');
    expect(accepted()).toHaveLength(before);
    // Stopping promotions keeps utility messages: the plain test still goes.
    expect((await call({ phone: '+4915100000004' })).json.status).toBe('accepted');
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as Json;
    const operation = doc.paths['/api/v1/senders/{id}/test'].post;
    expect(Object.keys(operation.requestBody.content['application/json'].schema.properties)).toEqual([
      'phone',
      'template',
      'params',
    ]);
    expect(operation.responses['200']).toBeDefined();
  });

  it('lets operators send one, not viewers, and audits it without the phone', async () => {
    await seedUser(test.database, 'op@shop.test', 'operator', NOW);
    await seedUser(test.database, 'view@shop.test', 'viewer', NOW);
    const send = async (email: string) => {
      const session = await signInAs(app, email, TEST_PASSWORD);
      const path = `/api/v1/senders/${DEFAULT_SENDER_ID}/test`;
      return requestWithSession(app, session, 'POST', path, { json: { phone: '+4915123456780' } });
    };
    expect((await send('view@shop.test')).status).toBe(403);
    const byOperator = await send('op@shop.test');
    expect(byOperator.status).toBe(200);
    const audit = await test.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'sender.test_send')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_type: 'user', target_type: 'sender', target_id: DEFAULT_SENDER_ID });
    expect(JSON.parse(audit.details)).toEqual({ template: 'hello_world', status: 'accepted', error_code: null });
    expect(audit.details).not.toContain('4915123456780');
  });
});
