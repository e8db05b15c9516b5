import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PHONE, screenshot, type TestBrowser } from './support/browser.ts';
import { expectNoHorizontalOverflow, signIn } from './support/dashboard.ts';
import { startServer, type TestServer } from './support/server.ts';

const ADMIN = { email: 'ada@shop.test', password: 'correct horse battery' };
// A shop's own export: its columns are not Chorus's names, one row is not a phone number, and a
// name carries markup that must be shown as text.
const SHOP_CSV = [
  'Mobile,Vorname,Filiale,Notiz',
  '+4915112340001,Ana,Berlin,vip customer',
  '+4915112340002,<b>Ben</b>,Köln,',
  'call me maybe,Cem,Berlin,',
  '+4915112340004,Dora,Hamburg,',
].join('\n');

describe('contacts in the browser', () => {
  let server: TestServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({ CHORUS_ADMIN_EMAIL: ADMIN.email, CHORUS_ADMIN_PASSWORD: ADMIN.password }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('previews a CSV, maps its columns, imports it and lists the bad row by its line', async () => {
    const { page } = browser;
    await signIn(page, server.url, ADMIN.email, ADMIN.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts', exact: true }).click();
    await page.getByLabel('CSV file').setInputFiles({
      name: 'shop-export.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(SHOP_CSV),
    });
    const preview = page.getByRole('table', { name: /^The first 4 rows of the file/ });
    await preview.getByRole('cell', { name: 'call me maybe' }).waitFor();
    await preview.getByRole('cell', { name: '<b>Ben</b>' }).waitFor();

    await page.getByRole('combobox', { name: 'Column Mobile becomes' }).click();
    await page.getByRole('option', { name: 'phone', exact: true }).click();
    await page.getByRole('combobox', { name: 'Column Vorname becomes' }).click();
    await page.getByRole('option', { name: 'first_name', exact: true }).click();
    await page.getByRole('combobox', { name: 'Column Notiz becomes' }).click();
    await page.getByRole('option', { name: 'Do not import' }).click();
    await page.getByLabel('Tags').first().fill('spring');
    await page.getByLabel('Tags').first().press('Enter');
    await page.getByLabel('Consent source').fill('shop checkout');
    await page.getByRole('button', { name: 'Import', exact: true }).click();

    const report = page.getByRole('status').filter({ hasText: 'Import finished' });
    await report.waitFor();
    expect(await report.textContent()).toContain('3 new');
    const bad = page.getByRole('table', { name: 'Rows not imported' }).getByRole('row').nth(1);
    expect(await bad.getByRole('cell').first().textContent()).toBe('4');
    expect(await bad.getByRole('cell').nth(1).textContent()).toMatch(/phone|number/i);
    await screenshot(page, 'contacts-import');
  });

  it('searches on the server and shows markup in names as text', async () => {
    const { page } = browser;
    const table = page.getByRole('table', { name: 'Contacts' });
    await table.getByRole('link', { name: '+4915112340004' }).waitFor();
    await page.getByLabel('Search').fill('<b>');
    await table.getByRole('link', { name: '+4915112340001' }).waitFor({ state: 'detached' });
    expect(await table.getByRole('row').count()).toBe(2);
    await table.getByRole('cell', { name: '<b>Ben</b>' }).waitFor();
    expect(await page.locator('table b').count()).toBe(0);
    await page.getByLabel('Search').fill('ana');
    await table.getByRole('link', { name: '+4915112340001' }).waitFor();
    expect(await table.getByRole('row').count()).toBe(2);
  });

  it('opens a contact, opts them out by hand and shows it in the consent history', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: '+4915112340001' }).click();
    await page.getByRole('heading', { name: 'Ana', level: 1 }).waitFor();
    const details = page.getByRole('region', { name: 'Details' });
    expect(await details.getByRole('row', { name: /attr\.Filiale/ }).textContent()).toContain('Berlin');
    expect(await details.getByText('attr.Notiz').count()).toBe(0);
    const history = page.getByRole('table', { name: 'Consent history, oldest first' });
    expect(await history.getByRole('row').nth(1).textContent()).toContain('shop checkout');

    await page.getByRole('button', { name: 'Opt out', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Opt out by hand' });
    await dialog.getByLabel('How they asked').fill('asked by phone');
    await dialog.getByRole('button', { name: 'Opt out' }).click();
    await page.getByRole('button', { name: 'Opt in', exact: true }).waitFor();
    await history
      .getByRole('row')
      .filter({ hasText: 'opted out' })
      .filter({ hasText: 'asked by phone' })
      .first()
      .waitFor();
    await screenshot(page, 'contact');

    const audit = await browser.context.request.get(`${server.url}/api/v1/audit?action=contact.opt_out`);
    expect((await audit.json()) as unknown).toMatchObject({
      data: [{ action: 'contact.opt_out', actor: { label: ADMIN.email } }],
    });
  });

  it('edits tags, and erases the contact only after asking', async () => {
    const { page } = browser;
    const tags = page.getByRole('region', { name: 'Tags' }).getByLabel('Tags');
    await tags.fill('vip');
    await tags.press('Enter');
    await page.getByRole('button', { name: 'Save tags' }).click();
    await page.getByText('Tags saved').waitFor();
    const saved = await browser.context.request.get(`${server.url}/api/v1/contacts/%2B4915112340001`);
    expect(((await saved.json()) as { tags: string[] }).tags).toEqual(['spring', 'vip']);

    await page.getByRole('button', { name: 'Erase' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase +4915112340001?' });
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    expect((await browser.context.request.get(`${server.url}/api/v1/contacts/%2B4915112340001`)).status()).toBe(200);
    await page.getByRole('button', { name: 'Erase' }).click();
    await page.getByRole('button', { name: 'Erase this person' }).click();
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    expect((await browser.context.request.get(`${server.url}/api/v1/contacts/%2B4915112340001`)).status()).toBe(404);
  });

  it('fits a phone’s width', async () => {
    const { page } = browser;
    await page.setViewportSize(PHONE);
    await page.getByLabel('CSV file').waitFor();
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'contacts-phone');
  });
});
