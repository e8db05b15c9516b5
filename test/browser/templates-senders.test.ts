import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PHONE, screenshot, type TestBrowser } from './support/browser.ts';
import { expectNoHorizontalOverflow, signIn } from './support/dashboard.ts';
import { startServer, type TestServer } from './support/server.ts';

const ADMIN = { email: 'ada@shop.test', password: 'correct horse battery' };

describe('templates and senders in the browser', () => {
  let server: TestServer;
  let browser: TestBrowser;
  const nav = (name: string) =>
    browser.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({ CHORUS_ADMIN_EMAIL: ADMIN.email, CHORUS_ADMIN_PASSWORD: ADMIN.password }),
      launchBrowser(),
    ]);
    await signIn(browser.page, server.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('syncs the templates and previews one as a WhatsApp bubble with its sample values', async () => {
    const { page } = browser;
    await nav('Templates');
    await page.getByRole('button', { name: 'Sync from Meta' }).click();
    const table = page.getByRole('table', { name: 'Templates' });
    await page.getByRole('button', { name: 'Preview welcome (en_US)' }).click();
    const welcomeRow = table.getByRole('row').filter({ hasText: 'welcome' });
    expect(await welcomeRow.textContent()).toMatch(/marketing.*approved/);
    const bubble = page.getByRole('figure', { name: 'How welcome reads on a phone' });
    expect(await bubble.textContent()).toContain('Hi Jessica, welcome to our updates!');
    expect(await bubble.textContent()).toContain('Stop promotions');
    await screenshot(page, 'templates');
  });

  it('submits a new template for approval, refusing a bad name by its field', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'New template' }).click();
    const dialog = page.getByRole('dialog', { name: 'New template' });
    await dialog.getByLabel('Name').fill('Spring Sale');
    await dialog.getByLabel('Body').fill('Hi {{1}}, our spring sale starts today. See you soon!');
    await dialog.getByLabel('Sample for {{1}}').fill('Ana');
    await dialog.getByLabel('Quick reply buttons').fill('Stop promotions');
    await dialog.getByLabel('Quick reply buttons').press('Enter');
    const preview = dialog.getByRole('figure', { name: 'How the new template reads on a phone' });
    expect(await preview.textContent()).toContain('Hi Ana, our spring sale starts today.');
    await dialog.getByRole('button', { name: 'Submit for approval' }).click();
    await dialog.getByText('Use lower-case letters, digits and underscores').waitFor();
    await dialog.getByLabel('Name').fill('spring_sale');
    await dialog.getByRole('button', { name: 'Submit for approval' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('table', { name: 'Templates' }).getByRole('row').filter({ hasText: 'spring_sale' });
    expect(await row.textContent()).toMatch(/marketing(pending|approved)/);
    const bubble = page.getByRole('figure', { name: 'How spring_sale reads on a phone' });
    expect(await bubble.textContent()).toContain('Hi Ana, our spring sale starts today.');
  });

  it('adds a simulated sender, pauses and resumes it, and changes its limits', async () => {
    const { page } = browser;
    await nav('Senders');
    const table = page.getByRole('table', { name: 'Senders' });
    await table.getByRole('row').nth(1).waitFor();
    await page.getByRole('button', { name: 'Add sender' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add sender' });
    await dialog.getByLabel('Name').fill('Second shop');
    await dialog.getByLabel('Messages per second').fill('5');
    await dialog.getByLabel('Daily limit').fill('500');
    await dialog.getByRole('button', { name: 'Add sender' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = table.getByRole('row').filter({ hasText: 'Second shop' });
    expect(await row.textContent()).toMatch(/simulated.*active.*5500/);

    await page.getByRole('button', { name: 'Pause Second shop' }).click();
    await row.getByText('paused by a person').waitFor();
    await page.getByRole('button', { name: 'Resume Second shop' }).click();
    await page.getByRole('button', { name: 'Pause Second shop' }).waitFor();
    expect(await row.textContent()).toContain('active');

    await page.getByRole('button', { name: 'Edit Second shop' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Second shop' });
    await edit.getByLabel('Messages per second').fill('7');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await row.getByRole('cell', { name: '7', exact: true }).waitFor();
    const audit = await browser.context.request.get(`${server.url}/api/v1/audit?action=sender`);
    const actions = ((await audit.json()) as { data: { action: string }[] }).data.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['sender.create', 'sender.pause', 'sender.resume', 'sender.update']),
    );
  });

  it('shows the webhook URL and verify token for Meta, and verifies them', async () => {
    const { page } = browser;
    const section = page.getByRole('region', { name: 'Webhook' });
    expect(await section.getByLabel('Callback URL', { exact: true }).textContent()).toBe(
      `${server.url}/webhooks/whatsapp`,
    );
    expect(await section.getByLabel('Verify token', { exact: true }).textContent()).toMatch(/^[0-9a-f]{24}$/);
    await section.getByRole('button', { name: 'Verify now' }).click();
    await section.getByRole('status').filter({ hasText: 'Webhook works' }).waitFor();
    await screenshot(page, 'senders');
  });

  it('sends a test message from a sender and sees WhatsApp accept it; a bad number is refused by its field', async () => {
    const { page } = browser;
    const senders = await browser.context.request.get(`${server.url}/api/v1/senders/default`);
    const { name } = (await senders.json()) as { name: string };
    const row = page.getByRole('table', { name: 'Senders' }).getByRole('row').filter({ hasText: name }).first();
    await row.getByRole('button', { name: 'Send test message' }).click();
    const dialog = page.getByRole('dialog', { name: `Send a test message from ${name}` });
    await expect.poll(() => dialog.getByLabel('Template').inputValue()).toBe('hello_world (en_US)');
    await dialog.getByLabel('Phone number').fill('12');
    await dialog.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => dialog.getByLabel('Phone number').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByRole('status').count()).toBe(0);

    const me = (await (await browser.context.request.get(`${server.url}/api/v1/me`)).json()) as { csrf_token: string };
    const optedOut = await browser.context.request.post(`${server.url}/api/v1/contacts/%2B4915100000009/opt-out`, {
      headers: { 'x-csrf-token': me.csrf_token },
      data: { source: 'test' },
    });
    expect(optedOut.status()).toBe(200);
    await dialog.getByLabel('Phone number').fill('+4915100000009');
    await dialog.getByRole('button', { name: 'Send test' }).click();
    await dialog.getByText('+4915100000009 is on the suppression list (opted out)', { exact: false }).waitFor();
    expect(await dialog.getByLabel('Phone number').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByRole('status').count()).toBe(0);

    await dialog.getByLabel('Phone number').fill('+4915123456789');
    await dialog.getByRole('button', { name: 'Send test' }).click();
    const accepted = dialog.getByRole('status').filter({ hasText: 'WhatsApp accepted it' });
    await accepted.waitFor();
    expect(await accepted.textContent()).toMatch(/wamid\./);
    await screenshot(page, 'sender-test');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const audit = await browser.context.request.get(`${server.url}/api/v1/audit?action=sender.test_send`);
    const entries = ((await audit.json()) as { data: { action: string }[] }).data;
    expect(entries.map((e) => e.action)).toEqual(['sender.test_send']);
    expect(JSON.stringify(entries)).not.toContain('4915123456789');
  });

  it('fits a phone’s width', async () => {
    const { page } = browser;
    await page.setViewportSize(PHONE);
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await nav('Templates');
    await page.getByRole('figure').first().waitFor();
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'templates-phone');
  });
});
