// The pieces of a campaign run shared by the recovery test and benchmark: a consented contact
// list, the campaign itself, and the simulator's record of what it accepted.
import type { AcceptedMessage } from '../../../src/simulator/types.ts';
import { type chorusApi, type SimulatorProcess, waitFor } from './processes.ts';

type Api = ReturnType<typeof chorusApi>;

/** A CSV of `consented` contacts tagged `tag`, plus `unconsented` ones that must be skipped. */
export function contactsCsv(tag: string, consented: number, unconsented: number): { csv: string; phones: string[] } {
  const lines = ['phone,first_name,tags,opted_in_at,consent_source'];
  const phones: string[] = [];
  for (let i = 0; i < consented + unconsented; i++) {
    // German mobile numbers: valid, not +1, so marketing templates are delivered (reference §3).
    const phone = `+49151${String(10_000_000 + i).padStart(8, '0')}`;
    const isConsented = i < consented;
    if (isConsented) phones.push(phone);
    lines.push(`${phone},User${i},${tag},${isConsented ? '2026-01-05T10:00:00Z,e2e-form' : ','}`);
  }
  return { csv: `${lines.join('\n')}\n`, phones };
}

/** Imports contacts, syncs templates, creates and starts a `welcome` campaign; answers its id. */
export async function launchCampaign(api: Api, tag: string, csv: string): Promise<string> {
  const imported = await api('POST', `/api/v1/contacts/import?tag=${tag}`, csv, 'text/csv');
  if (imported.status !== 200) throw new Error(`import: ${imported.status} ${JSON.stringify(imported.json)}`);
  const synced = await api('POST', '/api/v1/templates/sync', {});
  if (synced.status !== 200) throw new Error(`sync: ${synced.status} ${JSON.stringify(synced.json)}`);
  const created = await api<{ id: string }>('POST', '/api/v1/campaigns', {
    name: `e2e ${tag}`,
    template: { name: 'welcome', language: 'en_US' },
    params: { body: ['{{first_name|there}}'] },
    audience: { tags: [tag] },
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.json)}`);
  const started = await api('POST', `/api/v1/campaigns/${created.json.id}/start`, {});
  if (started.status !== 200) throw new Error(`start: ${started.status} ${JSON.stringify(started.json)}`);
  return created.json.id;
}

/** A campaign as GET /api/v1/campaigns/{id} answers it. */
export interface CampaignState {
  status: string;
  counts: Record<string, number>;
  total: number;
}

/** Polls the campaign until it is `completed` and answers its final state. */
export function waitForCompletion(
  api: Api,
  campaignId: string,
  timeoutMs: number,
  intervalMs?: number,
): Promise<CampaignState> {
  return waitFor(
    `campaign ${campaignId} to complete`,
    async () => {
      const { json } = await api<CampaignState>('GET', `/api/v1/campaigns/${campaignId}`);
      return json.status === 'completed' ? json : undefined;
    },
    timeoutMs,
    intervalMs,
  );
}

/** Every send the simulator accepted, paged through its control API. */
export async function acceptedSends(sim: SimulatorProcess): Promise<AcceptedMessage[]> {
  const all: AcceptedMessage[] = [];
  for (let offset = 0; ; offset += 5_000) {
    const page = await sim.control<{ data: AcceptedMessage[] }>('GET', `messages?offset=${offset}&limit=5000`);
    all.push(...page.data);
    if (page.data.length < 5_000) return all;
  }
}

/** How many times each key occurs. */
export function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** A small seeded generator, so a failing run can be replayed from its printed seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}
