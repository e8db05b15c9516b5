import type { Kysely, Selectable } from 'kysely';
import type { MessageStatus } from '../domain/message-status.ts';
import type { DB, MessagesTable } from './schema.ts';

/** A message with its contact's name, for lists and the report. */
export type MessageWithContact = Selectable<MessagesTable> & { first_name: string | null; last_name: string | null };

/** One page of a campaign's messages in id order, optionally of one status. */
export async function pageCampaignMessages(
  db: Kysely<DB>,
  page: { campaignId: number; afterId: number; limit: number; status?: MessageStatus },
): Promise<MessageWithContact[]> {
  let query = db
    .selectFrom('messages as m')
    .leftJoin('contacts as c', 'c.id', 'm.contact_id')
    .selectAll('m')
    .select(['c.first_name', 'c.last_name'])
    .where('m.campaign_id', '=', page.campaignId)
    .where('m.id', '>', page.afterId)
    .orderBy('m.id')
    .limit(page.limit);
  if (page.status !== undefined) query = query.where('m.status', '=', page.status);
  return query.execute();
}

/** When each of these phones was last sent a MARKETING template (accepted) since `sinceMs`, for the frequency cap. */
export async function recentMarketingSends(
  db: Kysely<DB>,
  phones: string[],
  sinceMs: number,
): Promise<Map<string, number[]>> {
  const sends = new Map<string, number[]>();
  if (phones.length === 0) return sends;
  const rows = await db
    .selectFrom('messages as m')
    .innerJoin('campaigns as c', 'c.id', 'm.campaign_id')
    .innerJoin('templates as t', 't.id', 'c.template_id')
    .select(['m.phone', 'm.accepted_at'])
    .where('t.category', '=', 'MARKETING')
    .where('m.phone', 'in', phones)
    .where('m.accepted_at', '>', sinceMs)
    .execute();
  for (const row of rows) {
    if (row.accepted_at === null) continue;
    const list = sends.get(row.phone) ?? [];
    list.push(row.accepted_at);
    sends.set(row.phone, list);
  }
  return sends;
}
