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
