// Debian's Chromium driven by playwright-core: headless, no sandbox (containers), a fresh
// profile per run, and every request that leaves the machine refused and remembered, so a
// test can assert that the dashboard loads nothing from a CDN.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Where Debian puts Chromium (`apt-get install chromium`). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The desktop width the dashboard is designed for. */
export const DESKTOP = { width: 1280, height: 860 };
/** A phone's width. */
export const PHONE = { width: 390, height: 844 };

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A running browser: its context, the hosts it tried to reach besides ours, and how to close it. */
export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Requests to anything but 127.0.0.1 (refused). */
  externalRequests: string[];
  close(): Promise<void>;
}

/** Launches Chromium with a fresh --user-data-dir and one page at the desktop width. */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: DESKTOP,
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  });
  const externalRequests: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:') return route.continue();
    externalRequests.push(url.href);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  return {
    context,
    page,
    externalRequests,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../docs/screenshots');

/** Saves what the page shows into docs/screenshots/NAME.png (kept in the repository). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}
