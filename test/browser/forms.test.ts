import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chorusApi } from '../e2e/support/processes.ts';
import { launchBrowser, screenshot, type TestBrowser } from './support/browser.ts';
import { signIn } from './support/dashboard.ts';
import { startServer, type TestServer } from './support/server.ts';

const ADMIN = { email: 'ada@shop.test', password: 'correct horse battery' };
const API_KEY = 'browser-forms-key';
const WORDING = 'Yes, send me offers from Example Shop on WhatsApp. Reply STOP to end.';

describe('sign-up forms and outbound webhooks in the browser', () => {
  let server: TestServer;
  let browser: TestBrowser;
  const problems: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({ CHORUS_ADMIN_EMAIL: ADMIN.email, CHORUS_ADMIN_PASSWORD: ADMIN.password, CHORUS_API_KEY: API_KEY }),
      launchBrowser(),
    ]);
    // A style the page's policy refused, or any script error, shows here.
    browser.page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates a form in Settings and shows how to embed it', async () => {
    const { page } = browser;
    await signIn(page, server.url, ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/settings/forms`);
    await page.getByRole('button', { name: 'New sign-up form' }).click();
    const dialog = page.getByRole('dialog', { name: 'New sign-up form' });
    await dialog.getByLabel('Title').fill('Spring offers');
    await dialog.getByLabel('Address').fill('spring');
    await dialog.getByLabel('Consent wording').fill(WORDING);
    await dialog.getByLabel('Tags').fill('web, spring');
    await dialog.getByRole('button', { name: 'Create form' }).click();
    const row = page
      .getByRole('table', { name: 'Sign-up forms' })
      .getByRole('row')
      .filter({ hasText: 'Spring offers' });
    await row.getByRole('link', { name: '/join/spring' }).waitFor();
    await row.getByRole('button', { name: 'Embed Spring offers' }).click();
    await page
      .getByRole('dialog', { name: 'Embed Spring offers' })
      .getByText(/<iframe src=".*\/join\/spring"/)
      .waitFor();
    await page.keyboard.press('Escape');
  });

  it('adds a webhook and shows its secret once, and removes it only after asking', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Outbound webhooks' }).click();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add webhook' });
    await dialog.getByLabel('URL').fill('http://127.0.0.1:9/chorus');
    await dialog.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await page.getByLabel('signing secret', { exact: true }).textContent();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Deliveries to http://127.0.0.1:9/chorus' }).waitFor();

    await page.getByRole('button', { name: 'Remove the webhook to http://127.0.0.1:9/chorus' }).click();
    await page.getByRole('dialog', { name: 'Remove this webhook?' }).getByRole('button', { name: 'Keep it' }).click();
    await page.getByRole('button', { name: 'Remove the webhook to http://127.0.0.1:9/chorus' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove webhook' }).click();
    await page.getByText('The webhook is removed').waitFor();
    await page.getByRole('button', { name: 'Deliveries to http://127.0.0.1:9/chorus' }).waitFor({ state: 'detached' });
  });

  it('lets a person subscribe on the hosted page, with the box left for them to tick', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/join/spring`);
    const consent = page.getByRole('checkbox', { name: WORDING });
    expect(await consent.isChecked()).toBe(false);
    await page.getByLabel('Phone').fill('+49 151 2345 6789');
    await page.getByLabel('First name').fill('Eva');
    await consent.check();
    await screenshot(page, 'signup-form');
    // A person takes a moment; the page refuses what a script sends at once.
    await page.waitForTimeout(2_100);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();
    const api = chorusApi(server.url, API_KEY);
    const ledger = await api<{ data: { source: string; proof: Record<string, unknown> }[] }>(
      'GET',
      `/api/v1/contacts/${encodeURIComponent('+4915123456789')}/consent`,
    );
    expect(ledger.json.data).toEqual([
      expect.objectContaining({
        source: 'form:spring',
        proof: expect.objectContaining({ wording: WORDING, user_agent: expect.stringContaining('Chrome') }),
      }),
    ]);
    expect(problems).toEqual([]);
    expect(browser.externalRequests).toEqual([]);
  });
});
