import type { Kysely } from 'kysely';
import { AUDIENCE_CONTACT_COLUMNS, type AudienceContact, toAudienceContact } from './audience-repo.ts';
import type { DB } from './schema.ts';

/** One contact as the recipient decision reads it (consent, suppression), found by phone. */
export async function findRecipientByPhone(db: Kysely<DB>, phone: string): Promise<AudienceContact | undefined> {
  const row = await db
    .selectFrom('contacts as c')
    .leftJoin('suppressions as s', 's.phone', 'c.phone')
    .select(AUDIENCE_CONTACT_COLUMNS)
    .where('c.phone', '=', phone)
    .executeTakeFirst();
  return row && toAudienceContact(row);
}

/** What one test send came to. */
export interface TestSendRecord {
  campaignId: number;
  contactId: number;
  wamid: string | null;
  errorCode: number | null;
  errorTitle: string | null;
  createdAt: number;
}

/** Records a test send; returns its id. */
export async function insertTestSend(db: Kysely<DB>, record: TestSendRecord): Promise<number> {
  const row = await db
    .insertInto('test_sends')
    .values({
      campaign_id: record.campaignId,
      contact_id: record.contactId,
      wamid: record.wamid,
      error_code: record.errorCode,
      error_title: record.errorTitle,
      created_at: record.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
