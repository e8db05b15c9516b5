import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';

const ADMIN = { email: 'ada@shop.test', password: 'correct horse battery' };
const API_KEY = 'browser-lockout-key';

describe('lock-out after repeated failed sign-ins, in the browser', () => {
  let server: TestServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({ CHORUS_ADMIN_EMAIL: ADMIN.email, CHORUS_ADMIN_PASSWORD: ADMIN.password, CHORUS_API_KEY: API_KEY }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Signs in with the keyboard only: Tab to each field, Enter to send. */
  async function signInByKeyboard(password: string): Promise<void> {
    const { page } = browser;
    await page.getByLabel('Email').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(ADMIN.email);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
  }

  it('counts down the tries, then locks the account and says until when', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/sign-in`);
    for (let left = 4; left >= 1; left--) {
      await signInByKeyboard(`wrong password ${left}`);
      await page
        .getByText(`(${left} ${left === 1 ? 'try' : 'tries'} left before this account is locked for 15 minutes)`, {
          exact: false,
        })
        .waitFor();
    }
    await signInByKeyboard('wrong password 0');
    const alert = page.getByRole('alert').filter({ hasText: 'This account is locked after 5 failed sign-ins' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/try again after \d\d:\d\d UTC, or ask an admin to reset the password$/);
  });

  it('refuses even the right password while locked, and records the lock', async () => {
    const { page } = browser;
    await signInByKeyboard(ADMIN.password);
    await page.getByRole('alert').filter({ hasText: 'locked' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.getByRole('heading', { name: 'Overview' }).count()).toBe(0);
    const audit = await fetch(`${server.url}/api/v1/audit?action=session`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const actions = ((await audit.json()) as { data: { action: string }[] }).data.map((e) => e.action);
    expect(actions.slice(0, 2)).toEqual(['session.locked', 'session.sign_in_failed']);
    expect(actions).not.toContain('session.sign_in');
  });
});
