import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, type TestBrowser } from './support/browser.ts';
import { expectNavigation, signIn, signOut } from './support/dashboard.ts';
import { startRunningCampaign } from './support/seed.ts';
import { startServer, type TestServer } from './support/server.ts';

const ADMIN = { email: 'ada@shop.test', password: 'correct horse battery' };
const VIEWER = { email: 'vera@shop.test', password: 'viewer password 1' };
const API_KEY = 'browser-suite-key';

describe('users, API keys and the audit log in the browser', () => {
  let server: TestServer;
  let browser: TestBrowser;
  let createdKey = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      // Two messages a second keep the seeded campaign running while the pages are looked at.
      startServer({
        CHORUS_ADMIN_EMAIL: ADMIN.email,
        CHORUS_ADMIN_PASSWORD: ADMIN.password,
        CHORUS_API_KEY: API_KEY,
        WA_MPS: '2',
      }),
      launchBrowser(),
    ]);
    await startRunningCampaign(server.url, API_KEY, 'Spring sale', 60);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs the admin from the environment in and shows the running campaign on the overview', async () => {
    const { page } = browser;
    await signIn(page, server.url, ADMIN.email, ADMIN.password);
    await expectNavigation(page);
    await page.getByRole('link', { name: 'Spring sale' }).waitFor();
    await page.getByRole('progressbar', { name: /^Spring sale: \d+ of 60 messages settled$/ }).waitFor();
    await page
      .getByRole('group', { name: 'Sent' })
      .getByText(/^[1-9]\d*$/)
      .waitFor();
    await screenshot(page, 'overview');
  });

  it('adds a viewer in Settings → Users', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('table', { name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add user' });
    await dialog.getByLabel('Email').fill(VIEWER.email);
    await dialog.getByLabel('Name').fill('Vera');
    await dialog.getByLabel('Role').click();
    await page.getByRole('option', { name: 'viewer' }).click();
    await dialog.getByLabel('Password').fill(VIEWER.password);
    await dialog.getByRole('button', { name: 'Add user' }).click();
    const row = page.getByRole('row').filter({ hasText: VIEWER.email });
    await row.waitFor();
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('viewer');
    await screenshot(page, 'settings-users');
  });

  it('creates an API key shown once, which works from a script with its role', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill('Order sync');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    createdKey = (await page.getByLabel('API key', { exact: true }).textContent()) ?? '';
    expect(createdKey).toMatch(/^chorus_[\w-]{32}$/);
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Order sync' });
    expect(await row.textContent()).toContain(`${createdKey.slice(0, 12)}…`);
    expect(await page.getByText(createdKey).count()).toBe(0);
    await screenshot(page, 'settings-api-keys');

    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${createdKey}` } });
    expect(await me.json()).toMatchObject({ kind: 'api_key', role: 'operator', api_key: { name: 'Order sync' } });
    const campaigns = await fetch(`${server.url}/api/v1/campaigns`, {
      headers: { authorization: `Bearer ${createdKey}` },
    });
    expect(campaigns.status).toBe(200);
    const users = await fetch(`${server.url}/api/v1/users`, { headers: { authorization: `Bearer ${createdKey}` } });
    expect(users.status).toBe(403);
  });

  it('lists the sign-in and the key creation in the audit log, filters and exports it', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Audit log' }).click();
    const table = page.getByRole('table', { name: 'Audit log, newest first' });
    await table.waitFor();
    const signInRow = table.getByRole('row').filter({ hasText: 'session.sign_in' }).filter({ hasText: ADMIN.email });
    expect(await signInRow.count()).toBeGreaterThan(0);
    const keyRow = table.getByRole('row').filter({ hasText: 'api_key.create' });
    expect(await keyRow.textContent()).toContain('name: Order sync');
    expect(await table.getByRole('row').filter({ hasText: 'campaign.start' }).count()).toBe(1);
    await screenshot(page, 'settings-audit');

    await page.getByRole('combobox', { name: 'Action' }).fill('api_key');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await table.getByRole('row').filter({ hasText: 'session.sign_in' }).waitFor({ state: 'detached' });
    expect(await table.getByRole('row').count()).toBe(2);
    const href = (await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')) ?? '';
    expect(href).toBe('/api/v1/audit.csv?action=api_key');
    const csv = await browser.context.request.get(`${server.url}${href}`);
    expect((await csv.text()).trim().split('\n')).toHaveLength(2);

    await page.getByRole('combobox', { name: 'Action' }).fill('campaign.launch');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('action: no audited action or group "campaign.launch"').waitFor();
  });

  it('runs the data retention purge from Settings and audits it', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Data retention' }).click();
    await page.getByText('Raw webhook payloads from Meta: kept for ever').waitFor();
    await page.getByRole('button', { name: 'Run retention now' }).click();
    const purged = page.getByRole('table', { name: 'Purged by this run' });
    await purged.getByRole('row', { name: /^Message bodies 0$/ }).waitFor();
    await screenshot(page, 'settings-retention');
    const audit = await browser.context.request.get(`${server.url}/api/v1/audit?action=data.retention_run`);
    expect(((await audit.json()) as { data: unknown[] }).data).toHaveLength(1);
  });

  it('shows a viewer no admin settings, and the server refuses their writes', async () => {
    const { page, context } = browser;
    await signOut(page);
    await signIn(page, server.url, VIEWER.email, VIEWER.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByText('Signed in as').waitFor();
    const settingsNav = page.getByRole('navigation', { name: 'Settings' });
    expect(await settingsNav.getByRole('link').allTextContents()).toEqual(['Sign-up forms', 'Your account']);
    await page.goto(`${server.url}/settings/users`);
    await page.getByText('Not available to your role').waitFor();
    expect(await page.getByRole('button', { name: 'Add user' }).count()).toBe(0);

    const me = (await (await context.request.get(`${server.url}/api/v1/me`)).json()) as { csrf_token: string };
    const headers = { 'x-csrf-token': me.csrf_token };
    const addUser = await context.request.post(`${server.url}/api/v1/users`, {
      headers,
      data: { email: 'eve@shop.test', role: 'admin', password: 'let me in please' },
    });
    expect(addUser.status()).toBe(403);
    const pause = await context.request.post(`${server.url}/api/v1/campaigns/1/pause`, { headers });
    expect(pause.status()).toBe(403);
    expect(await pause.json()).toMatchObject({ error: { message: 'this needs the operator role; you are viewer' } });
    const read = await context.request.get(`${server.url}/api/v1/campaigns/1`);
    expect(read.status()).toBe(200);
  });

  it('loaded nothing from outside this server', () => {
    expect(browser.externalRequests).toEqual([]);
  });
});
