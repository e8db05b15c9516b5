// Drives one campaign through Chorus's REST API the way a user would: sync templates, create,
// start, then watch it from the outside; or, in-process, a started campaign materialised at once.
import { campaignInputSchema } from '../../src/app/campaign-input.ts';
import { changeCampaignStatus, createCampaign, requireCampaign } from '../../src/app/campaigns.ts';
import { materialiseCampaign } from '../../src/dispatch/materialiser.ts';
import { welcome } from '../../src/domain/template-fixtures.testing.ts';
import type { Database } from '../../src/store/db.ts';
import type { ChorusProcess } from './chorus-process.ts';
import { sleep } from './machine.ts';

/** The campaign as GET /api/v1/campaigns/{id} shows it (the fields benchmarks read). */
export interface CampaignSnapshot {
  id: string;
  status: string;
  counts: Record<string, number>;
  total: number;
}

/** Syncs templates, creates an order_update campaign for contacts tagged `tag`, starts it; answers its id. */
export async function startBenchCampaign(chorus: ChorusProcess, name: string, tag: string): Promise<string> {
  const sync = await chorus.api('POST', '/api/v1/templates/sync', {});
  if (sync.status >= 300) throw new Error(`templates sync: ${sync.status} ${JSON.stringify(sync.json)}`);
  const created = await chorus.api('POST', '/api/v1/campaigns', {
    name,
    template: { name: 'order_update', language: 'en_US' },
    params: { body: ['{{attr.code}}', 'shipped'] },
    audience: { tags: [tag] },
  });
  const id = (created.json as { id?: string } | null)?.id;
  if (created.status !== 201 || id === undefined) throw new Error(`create: ${JSON.stringify(created.json)}`);
  const started = await chorus.api('POST', `/api/v1/campaigns/${id}/start`, {});
  if (started.status >= 300) throw new Error(`start: ${JSON.stringify(started.json)}`);
  return id;
}

/** Pauses or resumes the campaign through the API, as a user's click would. */
export async function setBenchCampaignRunning(chorus: ChorusProcess, id: string, isRunning: boolean): Promise<void> {
  const action = isRunning ? 'resume' : 'pause';
  const answer = await chorus.api('POST', `/api/v1/campaigns/${id}/${action}`, {});
  if (answer.status >= 300) throw new Error(`${action}: ${answer.status} ${JSON.stringify(answer.json)}`);
}

/** The campaign's current status and counts. */
export async function readCampaign(chorus: ChorusProcess, id: string): Promise<CampaignSnapshot> {
  return (await chorus.api('GET', `/api/v1/campaigns/${id}`)).json as CampaignSnapshot;
}

/** Waits until `isDone` holds for the campaign, or `timeoutMs` passes; answers the last snapshot. */
export async function waitForCampaign(
  chorus: ChorusProcess,
  id: string,
  isDone: (c: CampaignSnapshot) => boolean,
  timeoutMs: number,
): Promise<CampaignSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = await readCampaign(chorus, id);
    if (isDone(snapshot) || Date.now() > deadline) return snapshot;
    await sleep(500);
  }
}

/** A one-line summary of non-zero counts. */
export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n.toLocaleString('en')}`)
    .join(', ');
}

/** Creates and starts a `welcome` campaign for contacts tagged `tag` from `senderId`, materialised now; answers its id. */
export async function materialisedCampaign(database: Database, senderId: string, tag: string): Promise<number> {
  const input = campaignInputSchema.parse({
    name: tag,
    sender: senderId,
    template: { name: 'welcome', language: 'en_US' },
    params: { body: ['{{first_name|there}}'] },
    audience: { tags: [tag] },
  });
  const id = Number((await createCampaign(database, input, Date.now())).id);
  await changeCampaignStatus(database, id, 'start', Date.now());
  await materialiseCampaign(database, await requireCampaign(database, id), welcome, Date.now);
  return id;
}
