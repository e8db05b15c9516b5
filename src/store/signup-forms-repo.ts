import type { Kysely, Selectable } from 'kysely';
import type { DB, SignupFormsTable } from './schema.ts';

/** A sign-up form as stored. */
export type SignupFormRow = Selectable<SignupFormsTable>;

/** What a form is made of; tags as a list (stored as JSON). */
export interface SignupFormFields {
  slug: string;
  title: string;
  description: string | null;
  consentText: string;
  tags: string[];
  purpose: 'marketing' | 'utility';
  isDoubleOptIn: boolean;
  senderId: string;
}

function columnsOf(fields: Partial<SignupFormFields>) {
  return {
    ...(fields.slug !== undefined && { slug: fields.slug }),
    ...(fields.title !== undefined && { title: fields.title }),
    ...(fields.description !== undefined && { description: fields.description }),
    ...(fields.consentText !== undefined && { consent_text: fields.consentText }),
    ...(fields.tags !== undefined && { tags: JSON.stringify(fields.tags) }),
    ...(fields.purpose !== undefined && { purpose: fields.purpose }),
    ...(fields.isDoubleOptIn !== undefined && { double_opt_in: fields.isDoubleOptIn ? 1 : 0 }),
    ...(fields.senderId !== undefined && { sender_id: fields.senderId }),
  };
}

/** Stores a new form and answers its id. */
export async function insertSignupForm(db: Kysely<DB>, fields: SignupFormFields, now: number): Promise<number> {
  const row = await db
    .insertInto('signup_forms')
    .values({ ...columnsOf(fields), created_at: now, updated_at: now } as SignupFormRow)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Changes the given fields of a form; answers whether it exists. */
export async function updateSignupForm(
  db: Kysely<DB>,
  id: number,
  fields: Partial<SignupFormFields>,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('signup_forms')
    .set({ ...columnsOf(fields), updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Removes a form (and its awaited confirmations); the ledger keeps what it granted. */
export async function deleteSignupForm(db: Kysely<DB>, id: number): Promise<boolean> {
  const result = await db.deleteFrom('signup_forms').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** One form by id. */
export function getSignupForm(db: Kysely<DB>, id: number): Promise<SignupFormRow | undefined> {
  return db.selectFrom('signup_forms').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One form by its public slug. */
export function findSignupFormBySlug(db: Kysely<DB>, slug: string): Promise<SignupFormRow | undefined> {
  return db.selectFrom('signup_forms').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Whether another form already has this slug. */
export async function isSlugTaken(db: Kysely<DB>, slug: string, exceptId = 0): Promise<boolean> {
  const row = await db
    .selectFrom('signup_forms')
    .select('id')
    .where('slug', '=', slug)
    .where('id', '!=', exceptId)
    .executeTakeFirst();
  return row !== undefined;
}

/** A page of forms, newest first, keyset by id. */
export function listSignupForms(db: Kysely<DB>, page: { beforeId: number; limit: number }): Promise<SignupFormRow[]> {
  return db
    .selectFrom('signup_forms')
    .selectAll()
    .$if(page.beforeId > 0, (q) => q.where('id', '<', page.beforeId))
    .orderBy('id', 'desc')
    .limit(page.limit)
    .execute();
}
