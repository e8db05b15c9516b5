import type { Kysely } from 'kysely';
import type { AuditSource } from '../domain/audit.ts';
import type { ConsentPurpose } from '../domain/consent.ts';
import { parseTags } from '../domain/contact-row.ts';
import { AppError } from '../domain/errors.ts';
import type { DB } from '../store/schema.ts';
import { getSender } from '../store/senders-repo.ts';
import {
  deleteSignupForm,
  getSignupForm,
  insertSignupForm,
  isSlugTaken,
  listSignupForms,
  type SignupFormFields,
  type SignupFormRow,
  updateSignupForm,
} from '../store/signup-forms-repo.ts';
import { recordAudit } from './audit.ts';
import { decodeCursor, type Page, toPage } from './cursor.ts';
import { DEFAULT_SENDER_ID } from './senders.ts';

/** A form as the API shows it (the route adds its address and embed snippets). */
export interface SignupFormView {
  id: string;
  slug: string;
  title: string;
  description: string | null;
  consent_text: string;
  tags: string[];
  purpose: ConsentPurpose;
  double_opt_in: boolean;
  sender: string;
  created_at: string;
  updated_at: string;
}

/** A form as the API takes it; on PATCH every field is optional. */
export interface SignupFormInput {
  slug: string;
  title: string;
  description?: string | null;
  consent_text: string;
  tags?: string[];
  purpose?: ConsentPurpose;
  double_opt_in?: boolean;
  sender?: string;
}

/** The stored form as the API shows it. */
export function viewSignupForm(row: SignupFormRow): SignupFormView {
  return {
    id: String(row.id),
    slug: row.slug,
    title: row.title,
    description: row.description,
    consent_text: row.consent_text,
    tags: JSON.parse(row.tags) as string[],
    purpose: row.purpose,
    double_opt_in: row.double_opt_in === 1,
    sender: row.sender_id,
    created_at: new Date(Number(row.created_at)).toISOString(),
    updated_at: new Date(Number(row.updated_at)).toISOString(),
  };
}

/** Creates a form; a slug in use is a conflict naming `slug`. */
export async function createSignupForm(
  db: Kysely<DB>,
  input: SignupFormInput,
  by: AuditSource,
  now: number,
): Promise<SignupFormView> {
  const fields = await checkedFields(db, input, 0);
  const id = await insertSignupForm(db, fields as SignupFormFields, now);
  await recordAudit(db, { ...by, action: 'form.create', target: formTarget(id), details: { slug: input.slug } }, now);
  return viewSignupForm((await getSignupForm(db, id)) as SignupFormRow);
}

/** Changes a form's given fields. Grants already made keep the wording they were given with. */
export async function patchSignupForm(
  db: Kysely<DB>,
  id: number,
  input: Partial<SignupFormInput>,
  by: AuditSource,
  now: number,
): Promise<SignupFormView> {
  const fields = await checkedFields(db, input, id);
  if (!(await updateSignupForm(db, id, fields, now))) throw formNotFound(id);
  await recordAudit(
    db,
    { ...by, action: 'form.update', target: formTarget(id), details: { changed: Object.keys(input) } },
    now,
  );
  return viewSignupForm((await getSignupForm(db, id)) as SignupFormRow);
}

/** Removes a form: its page answers 404 from now on; its grants stay in the ledger. */
export async function removeSignupForm(db: Kysely<DB>, id: number, by: AuditSource, now: number): Promise<void> {
  const form = await getSignupForm(db, id);
  if (!form || !(await deleteSignupForm(db, id))) throw formNotFound(id);
  await recordAudit(db, { ...by, action: 'form.delete', target: formTarget(id), details: { slug: form.slug } }, now);
}

/** One form, or a 404. */
export async function requireSignupForm(db: Kysely<DB>, id: number): Promise<SignupFormView> {
  const form = await getSignupForm(db, id);
  if (!form) throw formNotFound(id);
  return viewSignupForm(form);
}

/** One page of forms, newest first. */
export async function listSignupFormsPage(
  db: Kysely<DB>,
  page: { cursor?: string; limit: number },
): Promise<Page<SignupFormView>> {
  const rows = await listSignupForms(db, { beforeId: decodeCursor(page.cursor), limit: page.limit + 1 });
  return toPage(rows, page.limit, (pageRows) => pageRows.map(viewSignupForm));
}

async function checkedFields(
  db: Kysely<DB>,
  input: Partial<SignupFormInput>,
  id: number,
): Promise<Partial<SignupFormFields>> {
  if (input.slug !== undefined && (await isSlugTaken(db, input.slug, id)))
    throw new AppError('conflict', `slug "${input.slug}" is used by another form`, { field: 'slug' });
  if (input.sender !== undefined && input.sender !== DEFAULT_SENDER_ID && !(await getSender(db, input.sender)))
    throw new AppError('validation_failed', `sender: no sender "${input.sender}"`, { field: 'sender' });
  const tags = input.tags === undefined ? undefined : parseTags(input.tags.join(';'), []);
  if (typeof tags === 'string') throw new AppError('validation_failed', `tags: ${tags}`, { field: 'tags' });
  return {
    slug: input.slug,
    title: input.title,
    description: input.description,
    consentText: input.consent_text,
    tags: tags ?? (id === 0 ? [] : undefined),
    purpose: input.purpose ?? (id === 0 ? 'marketing' : undefined),
    isDoubleOptIn: input.double_opt_in ?? (id === 0 ? false : undefined),
    senderId: input.sender ?? (id === 0 ? DEFAULT_SENDER_ID : undefined),
  };
}

function formTarget(id: number) {
  return { type: 'form', id: String(id) };
}

function formNotFound(id: number): AppError {
  return new AppError('not_found', `no sign-up form ${id}`);
}
