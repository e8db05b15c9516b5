import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chorusApi, waitFor } from '../e2e/support/processes.ts';
import { DESKTOP, launchBrowser, PHONE, screenshot, type TestBrowser } from './support/browser.ts';
import { expectNoHorizontalOverflow, signIn } from './support/dashboard.ts';
import { startServer, type TestServer } from './support/server.ts';

const ADMIN = { email: 'ada@shop.test', password: 'correct horse battery' };
const API_KEY = 'browser-campaigns-key';
// Ten messages a second: the 40-message campaign takes a few seconds to finish, so its page is seen
// moving; the 400-message one runs long enough to pause and resume.
const MPS = 10;
const QUICK = 40;
const SLOW = 400;

function contactsCsv(tag: string, size: number, offset: number): string {
  const rows = Array.from(
    { length: size },
    (_, i) => `+49151${String(30_000_000 + offset + i)},Guest ${offset + i},${tag}`,
  );
  return `phone,first_name,tags\n${rows.join('\n')}\n`;
}

describe('a campaign from the wizard to its live page, in the browser', () => {
  let server: TestServer;
  let browser: TestBrowser;
  let api: ReturnType<typeof chorusApi>;
  let quickId = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({
        CHORUS_ADMIN_EMAIL: ADMIN.email,
        CHORUS_ADMIN_PASSWORD: ADMIN.password,
        CHORUS_API_KEY: API_KEY,
        WA_MPS: String(MPS),
      }),
      launchBrowser(),
    ]);
    api = chorusApi(server.url, API_KEY);
    // The audience is imported through the API: the contacts page has its own tests.
    for (const [tag, size, offset] of [
      ['spring', QUICK, 0],
      ['autumn', SLOW, 1_000],
    ] as const) {
      const imported = await api(
        'POST',
        '/api/v1/contacts/import?consent_source=shop-checkout',
        contactsCsv(tag, size, offset),
        'text/csv',
      );
      expect(imported.status).toBe(200);
    }
    expect((await api('POST', '/api/v1/templates/sync', {})).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('builds a campaign with the wizard: live audience count, per-recipient preview, dry run and a test send', async () => {
    const { page } = browser;
    await signIn(page, server.url, ADMIN.email, ADMIN.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns', exact: true }).click();
    await page.getByRole('link', { name: 'New campaign' }).click();

    await page.getByLabel('Name').fill('Spring welcome');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('Tags', { exact: true }).fill('spring');
    await page.getByText(`${QUICK} contacts in this audience`).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('Template').selectOption({ label: 'welcome (en_US, MARKETING)' });
    await page.getByRole('figure', { name: 'Template preview' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();

    // Five spaces in a row: Meta rejects the message, so the dry run blocks the way on.
    await page.getByLabel('Parameter {{1}}').fill('Dear     friend');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Meta would reject this: fix it before starting').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('The dry run must pass first: fix its errors, and confirm its warnings.').waitFor();
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'Back' }).click();

    // A link shortener is only a warning: it asks for a confirmation.
    await page.getByLabel('Parameter {{1}}').fill('{{first_name|there}}, see bit.ly/spring');
    const preview = page.getByRole('figure', { name: 'Preview for Guest 0' });
    await preview.getByText(/Guest 0, see bit\.ly\/spring/).waitFor();
    await screenshot(page, 'campaign-wizard-preview');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Send at').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();

    const willSend = page.getByRole('group', { name: 'Will be sent' });
    await willSend.waitFor();
    expect(await willSend.textContent()).toContain(String(QUICK));
    const confirm = page.getByLabel('I have read the warnings and want to go on');
    await confirm.waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('The dry run must pass first: fix its errors, and confirm its warnings.').waitFor();
    await confirm.check();
    await screenshot(page, 'campaign-wizard-dry-run');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('Test phone number').fill('+4915130000003');
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByText('Test sent: WhatsApp accepted it').waitFor();
    expect(await page.getByRole('figure', { name: 'Test message' }).textContent()).toContain('Guest 3');
    await screenshot(page, 'campaign-wizard');
    await page.setViewportSize(PHONE);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'campaign-wizard-phone');
    await page.setViewportSize(DESKTOP);
    await page.getByRole('button', { name: 'Start campaign' }).click();

    await page.getByRole('heading', { name: 'Spring welcome', level: 1 }).waitFor();
    quickId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    expect(quickId).toMatch(/^\d+$/);
  });

  it('shows it complete live, each status with its count, and the funnel, without a reload', async () => {
    const { page } = browser;
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    await page.getByText('completed', { exact: true }).waitFor({ timeout: 30_000 });
    const count = async (status: string) =>
      Number(
        (await page.getByRole('group', { name: status, exact: true }).locator('p').nth(1).textContent())?.replace(
          /\D/g,
          '',
        ),
      );
    await waitFor(
      'every message to be settled',
      async () => ((await count('pending')) === 0 ? true : undefined),
      10_000,
    );
    // Read receipts keep arriving after the last send, so the four counts are read until one
    // snapshot of them (they move between reads) adds up to the whole audience.
    const settledOnce = async () =>
      (await count('accepted')) + (await count('sent')) + (await count('delivered')) + (await count('read'));
    await waitFor(
      'the settled counts to add up',
      async () => ((await settledOnce()) === QUICK ? true : undefined),
      15_000,
    );
    await waitFor(
      'the funnel to show deliveries',
      async () => {
        const delivered = await page.getByTestId('funnel-delivered').getByRole('cell').first().textContent();
        return Number(delivered) > 0 ? true : undefined;
      },
      15_000,
    );
    expect(navigations).toEqual([]);
    await screenshot(page, 'campaign-page');

    // The recipients behind the counts, filtered by status.
    const recipients = page.getByRole('region', { name: 'Recipients' });
    await recipients.getByText('+4915130000000').waitFor();
    await recipients.getByLabel('Message status').selectOption('failed');
    await recipients.getByText('No message is failed.').waitFor();

    // The test send is the campaign's message, yet not one of its counted messages.
    const { json } = await api<{ total: number }>('GET', `/api/v1/campaigns/${quickId}`);
    expect(json.total).toBe(QUICK);
  });

  it('pauses and resumes a slower campaign from its page, and lists both', async () => {
    const { page } = browser;
    const created = await api<{ id: string }>('POST', '/api/v1/campaigns', {
      name: 'Autumn welcome',
      template: { name: 'welcome', language: 'en_US' },
      params: { body: ['{{first_name|there}}'] },
      audience: { tags: ['autumn'] },
    });
    expect(created.status).toBe(201);
    expect((await api('POST', `/api/v1/campaigns/${created.json.id}/start`, {})).status).toBe(200);

    await page.getByRole('link', { name: 'All campaigns' }).click();
    await page.getByRole('link', { name: 'Autumn welcome' }).waitFor();
    await page.getByRole('link', { name: 'Spring welcome' }).waitFor();
    await screenshot(page, 'campaigns');
    await page.getByRole('link', { name: 'Autumn welcome' }).click();
    await page.getByRole('heading', { name: 'Autumn welcome', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.getByText('paused', { exact: true }).first().waitFor();
    const pendingOf = async () => {
      const { json } = await api<{ counts: Record<string, number> }>('GET', `/api/v1/campaigns/${created.json.id}`);
      return json.counts.pending ?? 0;
    };
    const heldAt = await pendingOf();
    expect(heldAt).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await pendingOf()).toBe(heldAt);

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await waitFor('sending to go on', async () => ((await pendingOf()) < heldAt ? true : undefined), 15_000);

    await page.setViewportSize(PHONE);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'campaign-page-phone');
    await page.setViewportSize(DESKTOP);

    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel the campaign' }).click();
    await page.getByText('cancelled', { exact: true }).first().waitFor();
  });
});
