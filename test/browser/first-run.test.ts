import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, PHONE, screenshot, type TestBrowser } from './support/browser.ts';
import { expectNavigation, focusedText, NAV_LINKS, signOut, submitSignIn } from './support/dashboard.ts';
import { startServer, type TestServer } from './support/server.ts';

const ADMIN = { email: 'ada@shop.test', password: 'correct horse battery' };

describe('a fresh Chorus in the browser', () => {
  let server: TestServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks for the first admin, creates them and opens the overview', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Welcome to Chorus' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/setup');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.getByText('Use at least 8 characters').waitFor();
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await expectNavigation(page);
    expect(await page.getByRole('status').filter({ hasText: 'Sandbox mode' }).isVisible()).toBe(true);
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    expect(await page.getByRole('group', { name: 'Sent' }).textContent()).toBe('Sent0');
  });

  it('closes the first-run page once an admin exists', async () => {
    const { page } = browser;
    await signOut(page);
    await page.goto(`${server.url}/setup`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    const answer = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'mallory@shop.test', password: 'let me in please' }),
    });
    expect(answer.status).toBe(409);
  });

  it('shows a wrong password under the field, then signs in and back to the page asked for', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/settings/account`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'sign-in');
    await submitSignIn(page, ADMIN.email, 'not my password');
    await page.getByText(/^Wrong email or password \(4 tries left/).waitFor();
    const password = page.getByLabel('Password');
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await password.getAttribute('aria-describedby')) ?? '';
    const descriptions = await Promise.all(
      describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(descriptions.join(' ')).toMatch(/Wrong email or password/);
    await submitSignIn(page, ADMIN.email, ADMIN.password);
    await page.getByText('Signed in as').waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/account');
    await expectNavigation(page);
  });

  it('opens every page from the navigation', async () => {
    const { page } = browser;
    for (const name of NAV_LINKS) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { name, level: 1 }).waitFor();
      const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
      expect(await link.getAttribute('aria-current')).toBe('page');
    }
  });

  it("works at a phone's width: the navigation opens from a burger and closes after a link", async () => {
    const { page } = browser;
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    const contacts = page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Contacts', exact: true });
    expect(await contacts.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await contacts.waitFor({ state: 'visible' });
    await contacts.click();
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Open navigation' }).waitFor();
    await contacts.waitFor({ state: 'hidden' });
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    await screenshot(page, 'overview-phone');
  });

  it('is usable from the keyboard: a skip link first, then the navigation', async () => {
    const { page } = browser;
    await page.setViewportSize(DESKTOP);
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Overview');
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Contacts');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
  });

  it('loaded nothing from outside this server', () => {
    expect(browser.externalRequests).toEqual([]);
  });
});
