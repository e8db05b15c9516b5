import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../simulator/index.ts';
import { answerJson, type FakeGraphServer, startFakeGraphServer } from './fake-graph-server.testing.ts';
import { MetaApiError } from './graph-call.ts';
import { TemplatesApi } from './templates-api.ts';

const signal = new AbortController().signal;
const tpl = (n: number) => ({
  id: String(1000 + n),
  name: `t_${n}`,
  language: 'en_US',
  status: 'APPROVED',
  category: 'UTILITY',
  parameter_format: n % 2 === 0 ? 'NAMED' : undefined,
  components: [{ type: 'BODY', text: 'Hi {{1}}' }],
  quality_score: { score: 'GREEN' },
});

let server: FakeGraphServer;
let api: TemplatesApi;

beforeAll(async () => {
  // Three pages; the last keeps cursors.after but has no `next`, as Meta does (§5).
  server = await startFakeGraphServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'POST') return answerJson(res, 200, { id: '777', status: 'PENDING', category: 'MARKETING' });
    if (url.pathname === '/v23.0/1001') return answerJson(res, 200, tpl(1));
    const after = url.searchParams.get('after');
    const page = after === null ? 0 : Number(after.slice(1));
    const data = [tpl(page * 2), tpl(page * 2 + 1)];
    const paging = {
      cursors: { before: `c${page}`, after: `c${page + 1}` },
      ...(page < 2 ? { next: `https://elsewhere/x?after=c${page + 1}` } : {}),
    };
    answerJson(res, 200, { data, paging });
  });
  api = new TemplatesApi({ graphUrl: server.url, apiVersion: 'v23.0', wabaId: 'WABA1', accessToken: 'tok' });
});
afterAll(() => server.close());

describe('TemplatesApi', () => {
  it('lists every page, following cursors until there is no next', async () => {
    server.received.length = 0;
    const templates = await api.listTemplates(signal);
    expect(templates.map((t) => t.name)).toEqual(['t_0', 't_1', 't_2', 't_3', 't_4', 't_5']);
    expect(server.received).toHaveLength(3);
    expect(server.received[1]?.url).toContain('after=c1');
    expect(server.received[0]?.url).toMatch(/^\/v23\.0\/WABA1\/message_templates\?fields=/);
    expect(server.received[0]?.headers.authorization).toBe('Bearer tok');
    expect(templates[0]).toMatchObject({
      id: '1000',
      parameterFormat: 'NAMED',
      qualityScore: 'GREEN',
      status: 'APPROVED',
    });
    expect(templates[1]?.parameterFormat).toBe('POSITIONAL');
  });

  it('creates a template and reads one back', async () => {
    const created = await api.createTemplate(
      { name: 'promo', category: 'MARKETING', language: 'en_US', components: [{ type: 'BODY', text: 'Hi' }] },
      signal,
    );
    expect(created).toEqual({ id: '777', status: 'PENDING', category: 'MARKETING' });
    const post = server.received.find((r) => r.method === 'POST');
    expect(JSON.parse(post?.body ?? '{}')).toMatchObject({ name: 'promo', category: 'MARKETING' });
    expect(await api.getTemplate('1001', signal)).toMatchObject({ id: '1001', name: 't_1', category: 'UTILITY' });
  });

  it('throws MetaApiError with the classified Meta error', async () => {
    const failing = await startFakeGraphServer((_req, res) =>
      answerJson(res, 401, { error: { message: '(#190) Token expired', code: 190, fbtrace_id: 'F' } }),
    );
    const bad = new TemplatesApi({ graphUrl: failing.url, apiVersion: 'v23.0', wabaId: 'W', accessToken: 'x' });
    const thrown = await bad.listTemplates(signal).catch((e: unknown) => e);
    await failing.close();
    expect(thrown).toBeInstanceOf(MetaApiError);
    expect((thrown as MetaApiError).error).toMatchObject({
      code: 190,
      errorClass: 'auth_config',
      httpStatus: 401,
      fbtraceId: 'F',
    });
  });
});

describe('TemplatesApi against the simulator', () => {
  it('lists every seeded template across pages', async () => {
    const templates = Array.from({ length: 150 }, (_, n) => ({
      name: `seeded_${n}`,
      language: 'en_US',
      category: 'UTILITY' as const,
      status: 'APPROVED' as const,
      components: [{ type: 'BODY', text: 'Hello' }],
    }));
    const options = { accessToken: 'tok', phoneNumberId: 'P1', businessAccountId: 'WABA9', appSecret: 's', templates };
    const sim = await startSimulator(options);
    try {
      const simApi = new TemplatesApi({ graphUrl: sim.url, apiVersion: 'v23.0', wabaId: 'WABA9', accessToken: 'tok' });
      const names = (await simApi.listTemplates(signal)).map((t) => t.name);
      expect(new Set(names).size).toBe(150);
      expect(names).toContain('seeded_149');
    } finally {
      await sim.close();
    }
  });
});
