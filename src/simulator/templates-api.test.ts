// Template management over HTTP: cursor paging, reading one, creation and review, status changes.
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type Json, startTestSimulator, TEST_IDS, templateSend } from './testing.ts';
import type { SimTemplate } from './types.ts';

let h: Awaited<ReturnType<typeof startTestSimulator>> | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const many = (count: number): SimTemplate[] =>
  Array.from({ length: count }, (_, i) => ({
    name: `bulk_${String(i).padStart(2, '0')}`,
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [{ type: 'BODY', text: `Bulk template number ${i}.` }],
  }));
const templatesPath = `/v23.0/${TEST_IDS.businessAccountId}/message_templates`;

describe('GET message_templates', () => {
  it('pages with cursors and paging.next to the end, each template once', async () => {
    h = await startTestSimulator({}, { templates: many(30) });
    const names: string[] = [];
    let url: string | undefined = `${h.sim.url}${templatesPath}?limit=7`;
    let pages = 0;
    while (url) {
      const page: Json = await h.get(url.slice(h.sim.url.length));
      expect(page.status).toBe(200);
      expect(page.json.data.length).toBeLessThanOrEqual(7);
      expect(page.json.paging.cursors.after).toEqual(expect.any(String));
      names.push(...page.json.data.map((t: Json) => t.name));
      url = page.json.paging.next;
      pages += 1;
    }
    expect(pages).toBe(5);
    expect(names.length).toBe(35);
    expect(new Set(names).size).toBe(35);
  });

  it('follows the after and before cursors', async () => {
    h = await startTestSimulator({}, { templates: many(10) });
    const first = await h.get(`${templatesPath}?limit=3`);
    const second = await h.get(`${templatesPath}?limit=3&after=${first.json.paging.cursors.after}`);
    expect(first.json.data.map((t: Json) => t.name)).toEqual(['hello_world', 'welcome', 'order_update']);
    expect(second.json.data[0].name).toBe('appointment_reminder');
    const back = await h.get(`${templatesPath}?limit=3&before=${second.json.paging.cursors.before}`);
    expect(back.json.data.map((t: Json) => t.name)).toEqual(first.json.data.map((t: Json) => t.name));
    expect(second.json.paging.previous).toContain('before=');
  });

  it('filters by name and answers Meta’s template shape', async () => {
    h = await startTestSimulator();
    const answer = await h.get(`${templatesPath}?name=welcome`);
    expect(answer.json.data).toHaveLength(1);
    expect(answer.json.data[0]).toMatchObject({
      name: 'welcome',
      language: 'en_US',
      status: 'APPROVED',
      category: 'MARKETING',
      parameter_format: 'POSITIONAL',
    });
    expect(answer.json.data[0].id).toMatch(/^\d+$/);
    expect(answer.json.paging.next).toBeUndefined();
  });

  it('refuses a wrong token and an unknown WABA', async () => {
    h = await startTestSimulator();
    const wrong = await h.get(`/v23.0/9999/message_templates`);
    expect(wrong.json.error.code).toBe(100);
    expect(wrong.json.error.error_subcode).toBe(33);
  });
});

describe('GET /{template-id}', () => {
  it('reads one template, honouring fields', async () => {
    h = await startTestSimulator();
    const id = (await h.get(`${templatesPath}?name=hello_world`)).json.data[0].id;
    expect((await h.get(`/v23.0/${id}?fields=status`)).json).toEqual({ id, status: 'APPROVED' });
    expect((await h.get(`/v23.0/${id}`)).json.components.length).toBe(3);
  });
});

describe('POST message_templates', () => {
  const create = (body: unknown) =>
    fetch(`${h!.sim.url}${templatesPath}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_IDS.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Json }));
  const definition = (name: string) => ({
    name,
    category: 'UTILITY',
    language: 'en_US',
    components: [{ type: 'BODY', text: 'Your code {{1}} is ready.', example: { body_text: [['42']] } }],
  });

  it('creates PENDING, then APPROVED after the review delay with a status webhook, then sendable', async () => {
    let nowMs = 1_750_000_000_000;
    h = await startTestSimulator({ templateReviewDelayMs: 60_000 }, { clock: () => nowMs });
    const created = await create(definition('code_ready'));
    expect(created.json).toEqual({ id: expect.stringMatching(/^\d+$/), status: 'PENDING', category: 'UTILITY' });
    const pending = await h.send(
      templateSend('code_ready', '+447700901001', [{ type: 'body', parameters: [{ type: 'text', text: '42' }] }]),
    );
    expect(pending.json.error.code).toBe(132001);
    nowMs += 60_000;
    await eventually(() => h!.changes('message_template_status_update').length === 1);
    const value = h.changes('message_template_status_update')[0].value;
    expect(value).toMatchObject({
      event: 'APPROVED',
      message_template_id: Number(created.json.id),
      message_template_name: 'code_ready',
      message_template_language: 'en_US',
    });
    const approved = await h.send(
      templateSend('code_ready', '+447700901001', [{ type: 'body', parameters: [{ type: 'text', text: '42' }] }]),
    );
    expect(approved.status).toBe(200);
  });

  it('rejects by review when the rejection rate says so', async () => {
    h = await startTestSimulator({ templateReviewDelayMs: 5, templateRejectionRate: 1 });
    await create(definition('code_rejected'));
    await eventually(() => h!.changes('message_template_status_update').length === 1);
    expect(h.changes('message_template_status_update')[0].value).toMatchObject({
      event: 'REJECTED',
      reason: 'INVALID_FORMAT',
    });
  });

  it('refuses a duplicate name in the same language', async () => {
    h = await startTestSimulator();
    const answer = await create({ ...definition('hello_world') });
    expect(answer.json.error.code).toBe(100);
    expect(answer.json.error.error_subcode).toBe(2388024);
  });

  it('refuses a bad name, a missing body, and a parameter at the end', async () => {
    h = await startTestSimulator();
    expect((await create(definition('Bad Name'))).json.error.error_data.details).toMatch(/name/);
    expect(
      (await create({ ...definition('no_body'), components: [{ type: 'FOOTER', text: 'x' }] })).json.error
        .error_subcode,
    ).toBe(2388047);
    const atEnd = { ...definition('at_end'), components: [{ type: 'BODY', text: 'Your code is {{1}}' }] };
    expect((await create(atEnd)).json.error.error_subcode).toBe(2388299);
  });
});

describe('template status control', () => {
  it('pauses a template with a webhook, and sends answer 132015 until reinstated', async () => {
    h = await startTestSimulator();
    h.sim.control.setTemplateStatus({ name: 'hello_world', language: 'en_US' }, 'PAUSED');
    await eventually(() => h!.changes('message_template_status_update').length === 1);
    expect(h.changes('message_template_status_update')[0].value.event).toBe('PAUSED');
    expect((await h.send(templateSend('hello_world', '+447700901002'))).json.error.code).toBe(132015);
    h.sim.control.setTemplateStatus({ name: 'hello_world' }, 'APPROVED');
    expect((await h.send(templateSend('hello_world', '+447700901002'))).status).toBe(200);
  });

  it('says FIRST_PAUSE on a pause and UNPAUSE only when a paused template is approved again (§4)', async () => {
    h = await startTestSimulator();
    const steps = ['PAUSED', 'APPROVED', 'DISABLED', 'APPROVED'] as const;
    for (const status of steps) h.sim.control.setTemplateStatus({ name: 'hello_world' }, status);
    await eventually(() => h!.changes('message_template_status_update').length === steps.length);
    const values = h.changes('message_template_status_update').map((c: Json) => c.value);
    expect(values.map((v: Json) => [v.event, v.other_info?.title ?? null, v.disable_info !== undefined])).toEqual([
      ['PAUSED', 'FIRST_PAUSE', false],
      ['APPROVED', 'UNPAUSE', false],
      ['DISABLED', null, true],
      ['APPROVED', null, false],
    ]);
  });
});

describe('GET /{phone-number-id}', () => {
  it('answers throughput, quality and messaging-limit tier', async () => {
    h = await startTestSimulator({ dailyRecipientLimit: 2000 });
    const answer = await h.get(
      `/v23.0/${TEST_IDS.phoneNumberId}?fields=throughput,quality_rating,whatsapp_business_manager_messaging_limit`,
    );
    expect(answer.json).toEqual({
      id: TEST_IDS.phoneNumberId,
      throughput: { level: 'STANDARD' },
      quality_rating: 'GREEN',
      whatsapp_business_manager_messaging_limit: 'TIER_2K',
    });
  });
});
