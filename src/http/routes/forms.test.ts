import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialBox } from '../../app/credential-box.ts';
import { erasePerson } from '../../app/erase-person.ts';
import { createTestDatabase, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestAs, requestWithSession, signInAs } from '../testing.ts';
import { ACCESS_ROUTES, seedUser, TEST_PASSWORD } from './access-testing.ts';
import { registerContactRoutes } from './contacts.ts';
import { registerFormRoutes } from './forms.ts';
import { registerJoinRoutes } from './join.ts';

const T0 = Date.parse('2026-05-01T10:00:00Z');
const WORDING = 'Yes, send me offers on WhatsApp <b>& news</b>';
const UA = 'Mozilla/5.0 (test browser)';

describe('sign-up forms', () => {
  let test: TestDatabase;
  let app: ChorusApp;
  let now = T0;
  const json = (method: string, path: string, body?: unknown) =>
    requestAs(app, method, path, body === undefined ? {} : { body: JSON.stringify(body), type: 'application/json' });
  const join = (slug: string, fields: Record<string, string>) =>
    app.request(`/join/${slug}`, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': UA },
    });
  /** Serves the page now, and answers its token and the time a person then takes to fill it in. */
  const pageToken = async (slug: string) => {
    const html = await (await app.request(`/join/${slug}`)).text();
    now += 5_000;
    return /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
  };
  const contactCount = async () =>
    Number(
      (
        await test.database.db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    const box = createCredentialBox(randomBytes(32));
    ({ app } = await createTestApi(
      test.database,
      [...ACCESS_ROUTES, registerFormRoutes, registerContactRoutes, (a, d) => registerJoinRoutes(a, d, { box })],
      T0,
      { clock: () => now },
    ));
    const created = await json('POST', '/api/v1/forms', {
      slug: 'spring-news',
      title: 'Spring <news>',
      description: 'Offers "first"',
      consent_text: WORDING,
      tags: ['web', 'spring'],
      purpose: 'marketing',
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => test.drop());

  describe('the API', () => {
    it('answers a form with its page address and both embed snippets, escaped', async () => {
      const list = await json('GET', '/api/v1/forms');
      const [form] = ((await list.json()) as { data: Record<string, unknown>[] }).data;
      expect(form).toMatchObject({
        slug: 'spring-news',
        tags: ['web', 'spring'],
        purpose: 'marketing',
        double_opt_in: false,
        url: 'http://localhost/join/spring-news',
      });
      const embed = form?.embed as { iframe: string; html: string };
      expect(embed.iframe).toContain('src="http://localhost/join/spring-news"');
      expect(embed.iframe).toContain('title="Spring &lt;news&gt;"');
      expect(embed.html).toContain('action="http://localhost/join/spring-news"');
      expect(embed.html).toContain('Yes, send me offers on WhatsApp &lt;b&gt;&amp; news&lt;/b&gt;');
      expect(embed.html).not.toMatch(/<input type="checkbox"[^>]*checked/);
    });

    it('names the field at fault and stores nothing on bad input', async () => {
      const cases: [unknown, string][] = [
        [{ slug: 'Bad Slug', title: 'x', consent_text: 'y' }, 'slug'],
        [{ slug: 'ok', title: ' ', consent_text: 'y' }, 'title'],
        [{ slug: 'ok', title: 'x', consent_text: '' }, 'consent_text'],
        [{ slug: 'ok', title: 'x', consent_text: 'y', purpose: 'promo' }, 'purpose'],
        [{ slug: 'ok', title: 'x', consent_text: 'y', sender: 'nobody' }, 'sender'],
      ];
      for (const [body, field] of cases) {
        const response = await json('POST', '/api/v1/forms', body);
        expect(response.status, field).toBe(400);
        expect(((await response.json()) as { error: { field: string } }).error.field).toBe(field);
      }
      const taken = await json('POST', '/api/v1/forms', { slug: 'spring-news', title: 'x', consent_text: 'y' });
      expect(taken.status).toBe(409);
      const after = await json('GET', '/api/v1/forms');
      expect(((await after.json()) as { data: unknown[] }).data).toHaveLength(1);
    });

    it('lets operators change and remove forms, viewers only read, and audits each change', async () => {
      await seedUser(test.database, 'viv@shop.test', 'viewer', T0);
      await seedUser(test.database, 'ops@shop.test', 'operator', T0);
      const viewer = await signInAs(app, 'viv@shop.test', TEST_PASSWORD);
      const operator = await signInAs(app, 'ops@shop.test', TEST_PASSWORD);
      const body = { slug: 'tmp', title: 'Temporary', consent_text: 'ok' };
      expect((await requestWithSession(app, viewer, 'POST', '/api/v1/forms', { json: body })).status).toBe(403);
      const created = await requestWithSession(app, operator, 'POST', '/api/v1/forms', { json: body });
      const { id } = (await created.json()) as { id: string };
      const patched = await requestWithSession(app, operator, 'PATCH', `/api/v1/forms/${id}`, {
        json: { title: 'Renamed', double_opt_in: true },
      });
      expect(await patched.json()).toMatchObject({ title: 'Renamed', double_opt_in: true, slug: 'tmp' });
      expect((await requestWithSession(app, operator, 'DELETE', `/api/v1/forms/${id}`)).status).toBe(204);
      expect((await app.request('/join/tmp')).status).toBe(404);
      const audit = await test.database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_label'])
        .where('target_id', '=', id)
        .where('target_type', '=', 'form')
        .orderBy('id')
        .execute();
      expect(audit).toEqual([
        { action: 'form.create', actor_label: 'ops@shop.test' },
        { action: 'form.update', actor_label: 'ops@shop.test' },
        { action: 'form.delete', actor_label: 'ops@shop.test' },
      ]);
    });
  });

  describe('the public page', () => {
    it('shows the labelled fields, an unticked consent box with the escaped wording, and may be framed', async () => {
      const response = await app.request('/join/spring-news');
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<label for="phone">Phone</label>');
      expect(html).toContain('<label for="first_name">First name</label>');
      expect(html).toContain(
        `<label for="consent">Yes, send me offers on WhatsApp &lt;b&gt;&amp; news&lt;/b&gt;</label>`,
      );
      expect(html).toMatch(/<input type="checkbox" id="consent"[^>]*>/);
      expect(/<input type="checkbox" id="consent"[^>]*>/.exec(html)?.[0]).not.toContain('checked');
      expect(html).toContain('<button type="submit">Subscribe</button>');
      expect(html).toContain('<h1>Spring &lt;news&gt;</h1>');
      expect(html).not.toContain('<script');
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy).toContain('frame-ancestors *');
      const nonce = /style-src 'nonce-([^']+)'/.exec(policy)?.[1];
      expect(html).toContain(`<style nonce="${nonce}">`);
      expect(policy).not.toContain('unsafe-inline');
      expect((await app.request('/join/no-such-form')).status).toBe(404);
    });

    it('refuses with a page saying why, and stores nothing, for each bad submission', async () => {
      const before = await contactCount();
      const cases: [Record<string, string>, number, RegExp][] = [
        [{ phone: '+4915112345678', first_name: 'Ana' }, 400, /tick the box/],
        [{ phone: '12', first_name: 'Ana', consent: 'on' }, 400, /not a phone number|not a valid number/],
        [{ phone: '+4915112345678', consent: 'on', website: 'http://spam' }, 400, /looked automated/],
        [{ phone: '+4915112345678', consent: 'on', token: 'forged' }, 400, /expired/],
      ];
      for (const [fields, status, reason] of cases) {
        const response = await join('spring-news', {
          ...fields,
          token: fields.token ?? (await pageToken('spring-news')),
        });
        expect(response.status, JSON.stringify(fields)).toBe(status);
        const html = await response.text();
        expect(html).toMatch(reason);
        expect(html).toContain('role="alert"');
      }
      // Sent at once after the page was served: a script, not a person.
      const html = await (await app.request('/join/spring-news')).text();
      const token = /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
      now += 500;
      const quick = await join('spring-news', { phone: '+4915112345678', consent: 'on', token });
      expect(quick.status).toBe(400);
      expect(await quick.text()).toMatch(/too quickly/);
      expect(await contactCount()).toBe(before);
      expect(await test.database.db.selectFrom('consent_events').selectAll().execute()).toEqual([]);
    });

    it('subscribes with consent for the purpose, the tags and name, and a ledger entry with its proof', async () => {
      const token = await pageToken('spring-news');
      const response = await join('spring-news', {
        phone: '+49 151 1234 5678',
        first_name: 'Ana',
        consent: 'on',
        website: '',
        token,
      });
      expect(response.status).toBe(201);
      expect(await response.text()).toContain('You are subscribed');
      const contact = await json('GET', `/api/v1/contacts/${encodeURIComponent('+4915112345678')}/consent`);
      expect(contact.status).toBe(200);
      const { data } = (await contact.json()) as { data: Record<string, unknown>[] };
      expect(data).toHaveLength(1);
      expect(data[0]).toMatchObject({
        action: 'grant',
        purpose: 'marketing',
        source: 'form:spring-news',
        at: new Date(now).toISOString(),
        proof: {
          form_slug: 'spring-news',
          form_url: 'http://localhost/join/spring-news',
          wording: WORDING,
          user_agent: UA,
          submitted_at: new Date(now).toISOString(),
        },
      });
      const row = await test.database.db
        .selectFrom('contacts')
        .select(['first_name', 'marketing_consent_at'])
        .where('phone', '=', '+4915112345678')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ first_name: 'Ana', marketing_consent_at: now });
      const tags = await test.database.db.selectFrom('contact_tags').select('tag').orderBy('tag').execute();
      expect(tags.map((t) => t.tag)).toEqual(['spring', 'web']);
    });

    it('accepts the plain HTML snippet, which carries no timing token', async () => {
      const response = await join('spring-news', { phone: '+4915112340001', consent: 'on' });
      expect(response.status).toBe(201);
    });

    it('refuses an erased number and keeps it forgotten', async () => {
      await erasePerson(test.database.db, '+4915112340002', { requestedBy: 'test' }, () => now);
      const response = await join('spring-news', { phone: '+4915112340002', consent: 'on' });
      expect(response.status).toBe(409);
      expect(await response.text()).toMatch(/erased/);
      const stored = await test.database.db
        .selectFrom('contacts')
        .select('id')
        .where('phone', '=', '+4915112340002')
        .execute();
      expect(stored).toEqual([]);
    });
  });
});
