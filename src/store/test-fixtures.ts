import type { Kysely } from 'kysely';
import { helloWorld } from '../domain/template-fixtures.ts';
import { insertCampaign } from './campaigns-repo.ts';
import type { DB } from './schema.ts';
import { upsertSender } from './senders-repo.ts';
import { upsertTemplates } from './templates-repo.ts';

/**
 * Seeds what a message row needs — the default sender (WABA `w1`), the `hello_world` template and a
 * draft campaign of `audienceSize` — and answers the campaign id (store tests only).
 */
export async function seedDraftCampaign(db: Kysely<DB>, nowMs: number, audienceSize: number): Promise<number> {
  await upsertSender(
    db,
    { id: 'default', phoneNumberId: 'p1', businessAccountId: 'w1', ratePerSec: 80, dailyLimit: 1000 },
    nowMs,
  );
  await upsertTemplates(db, 'w1', [helloWorld], nowMs);
  const template = await db
    .selectFrom('templates')
    .select('id')
    .where('name', '=', helloWorld.name)
    .executeTakeFirstOrThrow();
  return insertCampaign(
    db,
    {
      name: 'c',
      senderId: 'default',
      templateId: template.id,
      params: '{}',
      audience: '{}',
      options: '{}',
      status: 'draft',
      audienceSize,
      scheduledAt: null,
      parentCampaignId: null,
    },
    nowMs,
  );
}
