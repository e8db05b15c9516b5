import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from './support/browser.ts';
import { NAV_LINKS, signIn } from './support/dashboard.ts';
import { startServer, type TestServer } from './support/server.ts';

const ADMIN = { email: 'ada@shop.test', password: 'correct horse battery' };

// Records every CSP violation the page reports, before any of the page's own scripts run
// (a string: this file is type-checked without the DOM's types).
const RECORD_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
  });
`;

describe('the dashboard under its Content Security Policy', () => {
  let server: TestServer;
  let browser: TestBrowser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({ CHORUS_ADMIN_EMAIL: ADMIN.email, CHORUS_ADMIN_PASSWORD: ADMIN.password }),
      launchBrowser(),
    ]);
    await browser.context.addInitScript(RECORD_VIOLATIONS);
    browser.page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    browser.page.on('pageerror', (error) => consoleErrors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('is served with a CSP that allows scripts only from the server itself', async () => {
    const response = await fetch(`${server.url}/sign-in`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('signs in and opens every page with no CSP violation and no console error', async () => {
    const { page } = browser;
    await signIn(page, server.url, ADMIN.email, ADMIN.password);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of NAV_LINKS) {
      await nav.getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
    }
    const violations = await page.evaluate<string[]>('window.__cspViolations');
    expect(violations).toEqual([]);
    expect(consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
