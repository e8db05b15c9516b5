import type { Kysely, Selectable } from 'kysely';
import type { DB, FormConfirmationsTable } from './schema.ts';

/** A double opt-in awaiting (or past) its WhatsApp message. */
export type FormConfirmationRow = Selectable<FormConfirmationsTable>;

/** Stores a confirmation to await. */
export async function insertFormConfirmation(
  db: Kysely<DB>,
  row: { code: string; formId: number; phone: string; firstName: string | null; proofJson: string; expiresAt: number },
  now: number,
): Promise<void> {
  await db
    .insertInto('form_confirmations')
    .values({
      code: row.code,
      form_id: row.formId,
      phone: row.phone,
      first_name: row.firstName,
      proof: row.proofJson,
      created_at: now,
      expires_at: row.expiresAt,
    })
    .execute();
}

/** The confirmation with this code still awaited from this phone, unless it expired. */
export function findAwaitedConfirmation(
  db: Kysely<DB>,
  code: string,
  phone: string,
  now: number,
): Promise<FormConfirmationRow | undefined> {
  return db
    .selectFrom('form_confirmations')
    .selectAll()
    .where('code', '=', code)
    .where('phone', '=', phone)
    .where('confirmed_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Marks a confirmation done, so the same code never grants twice. */
export async function markConfirmed(db: Kysely<DB>, id: number, now: number): Promise<void> {
  await db.updateTable('form_confirmations').set({ confirmed_at: now }).where('id', '=', id).execute();
}
