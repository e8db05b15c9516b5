// Times the materialiser on a big audience: import N contacts through the real import code into
// a fresh database, create and start a campaign through the use cases, then materialise it.

import { isBuildFresh } from '../../bin/build-freshness.mjs';
import { createCampaign } from '../../src/app/campaigns.ts';
import { DEFAULT_SENDER_ID } from '../../src/app/senders.ts';
import type { DatabaseTarget } from '../../src/config.ts';
import type { TemplateDefinition } from '../../src/domain/template.ts';
import { SANDBOX_TEMPLATES } from '../../src/simulator/sandbox-templates.ts';
import { getCampaign, transitionCampaign } from '../../src/store/campaigns-repo.ts';
import { openDatabase } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { countMessagesByStatus } from '../../src/store/outbox-repo.ts';
import { upsertSender } from '../../src/store/senders-repo.ts';
import { getTemplate, upsertTemplates } from '../../src/store/templates-repo.ts';
import { importBenchContacts } from './contacts.ts';
import { BENCH_IDS } from './sim-process.ts';

type Materialiser = typeof import('../../src/dispatch/materialiser.ts');

// The materialiser runs from the compiled build when dist/ is fresh, as `chorus start` runs it:
// its worker thread then starts without compiling TypeScript on the fly.
async function loadMaterialiser(): Promise<Materialiser> {
  const compiled = new URL('../../dist/dispatch/materialiser.js', import.meta.url).href;
  return isBuildFresh() ? ((await import(compiled)) as Materialiser) : import('../../src/dispatch/materialiser.ts');
}

/** What one materialisation measured. */
export interface MaterialiseResult {
  importSeconds: number;
  rows: number;
  seconds: number;
  peakRssMb: number;
}

/** Imports `count` contacts, then times materialising one campaign over all of them. */
export async function materialiseBench(target: DatabaseTarget, count: number): Promise<MaterialiseResult> {
  // As `chorus start` opens it: WAL checkpoints run on a background thread, not inside commits.
  const database = openDatabase(target, {
    onCheckpointError: (message) => console.error(`background checkpoint failed: ${message}`),
  });
  try {
    await migrateToLatest(database);
    const now = Date.now();
    const { seconds: importSeconds } = await importBenchContacts(database, count, 'm');
    await upsertSender(
      database.db,
      {
        id: DEFAULT_SENDER_ID,
        phoneNumberId: BENCH_IDS.phoneNumberId,
        businessAccountId: BENCH_IDS.businessAccountId,
        ratePerSec: 80,
        dailyLimit: 100_000,
      },
      now,
    );
    const definitions: TemplateDefinition[] = SANDBOX_TEMPLATES.map((t) => ({
      name: t.name,
      language: t.language,
      status: t.status as TemplateDefinition['status'],
      category: t.category,
      parameterFormat: t.parameter_format ?? 'POSITIONAL',
      components: structuredClone(t.components) as TemplateDefinition['components'],
    }));
    await upsertTemplates(database.db, BENCH_IDS.businessAccountId, definitions, now);
    const view = await createCampaign(
      database,
      {
        name: 'materialise',
        sender: DEFAULT_SENDER_ID,
        template: { name: 'order_update', language: 'en_US' },
        params: { body: ['{{attr.code}}', 'shipped'] },
        audience: { tags: ['m'], exclude_tags: [], attributes: {} },
      },
      now,
    );
    const id = Number(view.id);
    await transitionCampaign(database.db, { id, from: ['draft'], to: 'running', now, startedAt: now });
    const campaign = await getCampaign(database.db, id);
    const template = campaign && (await getTemplate(database.db, campaign.templateId));
    if (!campaign || !template) throw new Error('campaign or template missing');
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 100);
    const { materialiseCampaign } = await loadMaterialiser();
    const started = performance.now();
    await materialiseCampaign(database, campaign, template, Date.now);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const counts = await countMessagesByStatus(database.db, id);
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    return { importSeconds, rows, seconds, peakRssMb: peak / 2 ** 20 };
  } finally {
    await database.close();
  }
}
