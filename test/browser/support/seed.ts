// Data for the pages to show, made through the HTTP API with a bearer key (as a script would).
import { chorusApi, waitFor } from '../../e2e/support/processes.ts';

/** Imports `size` consented contacts tagged `spring`, syncs templates, starts a `welcome` campaign and waits for its first sends. */
export async function startRunningCampaign(
  baseUrl: string,
  apiKey: string,
  name: string,
  size: number,
): Promise<string> {
  const api = chorusApi(baseUrl, apiKey);
  const rows = Array.from({ length: size }, (_, i) => `+49151${String(20_000_000 + i)},Guest ${i},spring`);
  const csv = `phone,first_name,tags\n${rows.join('\n')}\n`;
  const imported = await api('POST', '/api/v1/contacts/import?consent_source=shop-checkout', csv, 'text/csv');
  if (imported.status !== 200) throw new Error(`import: ${imported.status} ${JSON.stringify(imported.json)}`);
  const synced = await api('POST', '/api/v1/templates/sync', {});
  if (synced.status !== 200) throw new Error(`sync: ${synced.status} ${JSON.stringify(synced.json)}`);
  const created = await api<{ id: string }>('POST', '/api/v1/campaigns', {
    name,
    template: { name: 'welcome', language: 'en_US' },
    params: { body: ['{{first_name|there}}'] },
    audience: { tags: ['spring'] },
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.json)}`);
  const started = await api('POST', `/api/v1/campaigns/${created.json.id}/start`, {});
  if (started.status !== 200) throw new Error(`start: ${started.status} ${JSON.stringify(started.json)}`);
  await waitFor(
    'the first messages to go out',
    async () => {
      const { json } = await api<{ counts: Record<string, number> }>('GET', `/api/v1/campaigns/${created.json.id}`);
      const { accepted = 0, sent = 0, delivered = 0, read = 0 } = json.counts;
      return accepted + sent + delivered + read > 0 ? true : undefined;
    },
    20_000,
  );
  return created.json.id;
}
