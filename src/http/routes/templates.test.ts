import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SENDER_ID } from '../../app/senders.ts';
import { TemplatesApi } from '../../cloud-api/templates-api.ts';
import { startTestSimulator, TEST_IDS } from '../../simulator/testing.ts';
import { upsertSender } from '../../store/senders-repo.ts';
import { createTestDatabase, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestAs } from '../testing.ts';
import { registerTemplateRoutes } from './templates.ts';

const NOW = Date.parse('2026-02-01T00:00:00Z');

describe('POST /api/v1/templates against the simulator', () => {
  let test: TestDatabase;
  let app: ChorusApp;
  let sim: Awaited<ReturnType<typeof startTestSimulator>>;
  let templatesApi: TemplatesApi;
  const submit = (body: unknown) =>
    requestAs(app, 'POST', '/api/v1/templates', { body: JSON.stringify(body), type: 'application/json' });
  const names = async () => (await templatesApi.listTemplates(AbortSignal.timeout(5_000))).map((t) => t.name);
  const template = (name: string, body = 'Your order {{1}} is on its way, thank you.') => ({
    name,
    language: 'en_US',
    category: 'UTILITY',
    components: [{ type: 'BODY', text: body, example: { body_text: [['A-17']] } }],
  });

  beforeAll(async () => {
    [test, sim] = await Promise.all([
      createTestDatabase('sqlite'),
      startTestSimulator({ templateReviewDelayMs: 60_000 }),
    ]);
    templatesApi = new TemplatesApi({
      graphUrl: sim.sim.url,
      apiVersion: 'v23.0',
      wabaId: TEST_IDS.businessAccountId,
      accessToken: TEST_IDS.accessToken,
    });
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
    ({ app } = await createTestApi(
      test.database,
      [
        (a, d) =>
          registerTemplateRoutes(a, d, {
            syncTemplates: async () => ({ reports: [], failures: [] }),
            createTemplate: (_sender, t, signal) => templatesApi.createTemplate(t, signal),
          }),
      ],
      NOW,
    ));
  });
  afterAll(async () => {
    await sim?.close();
    await test?.drop();
  });

  it('submits a template, which Meta holds as PENDING', async () => {
    const response = await submit(template('order_shipped'));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      id: expect.any(String),
      name: 'order_shipped',
      status: 'PENDING',
      category: 'UTILITY',
    });
    expect(await names()).toContain('order_shipped');
  });

  it('refuses a name with capitals or spaces, naming the field, and submits nothing', async () => {
    const response = await submit(template('Spring Sale'));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'validation_failed', field: 'name' } });
    expect(await names()).not.toContain('Spring Sale');
  });

  it('refuses a template without body text, naming components', async () => {
    const response = await submit({ ...template('no_body'), components: [{ type: 'FOOTER', text: 'Bye' }] });
    expect(await response.json()).toMatchObject({ error: { code: 'validation_failed', field: 'components' } });
  });

  it('answers Meta’s refusal of the content as content_rejected on components', async () => {
    const response = await submit(template('ends_with_variable', 'Your order is {{1}}'));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: 'content_rejected', field: 'components' } });
    expect(await names()).not.toContain('ends_with_variable');
  });
});
