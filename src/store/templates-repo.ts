import type { Kysely, Selectable } from 'kysely';
import type { TemplateDefinition } from '../domain/template.ts';
import type { DB, TemplatesTable } from './schema.ts';

/** A stored template: Meta's definition plus our id and when it was last synced. */
export interface StoredTemplate extends TemplateDefinition {
  storedId: number;
  businessAccountId: string;
  statusReason: string | null;
  syncedAt: number;
}

/** Inserts or refreshes every template of one WABA; answers how many rows it wrote. */
export async function upsertTemplates(
  db: Kysely<DB>,
  businessAccountId: string,
  templates: TemplateDefinition[],
  now: number,
): Promise<number> {
  await db.transaction().execute(async (tx) => {
    for (const t of templates) {
      const values = {
        business_account_id: businessAccountId,
        meta_id: t.id ?? null,
        name: t.name,
        language: t.language,
        status: t.status,
        category: t.category,
        parameter_format: t.parameterFormat,
        components: JSON.stringify(t.components),
        quality_score: t.qualityScore ?? null,
        status_reason: null,
        synced_at: now,
      };
      await tx
        .insertInto('templates')
        .values(values)
        .onConflict((oc) => oc.columns(['business_account_id', 'name', 'language']).doUpdateSet(values))
        .execute();
    }
  });
  return templates.length;
}

/** Every template of a WABA (or of all), by name and language. */
export async function listTemplates(db: Kysely<DB>, businessAccountId?: string): Promise<StoredTemplate[]> {
  let query = db.selectFrom('templates').selectAll().orderBy('name').orderBy('language');
  if (businessAccountId !== undefined) query = query.where('business_account_id', '=', businessAccountId);
  return (await query.execute()).map(toStoredTemplate);
}

/** One template by name and language, if synced. */
export async function findTemplate(
  db: Kysely<DB>,
  where: { businessAccountId: string; name: string; language: string },
): Promise<StoredTemplate | undefined> {
  const row = await db
    .selectFrom('templates')
    .selectAll()
    .where('business_account_id', '=', where.businessAccountId)
    .where('name', '=', where.name)
    .where('language', '=', where.language)
    .executeTakeFirst();
  return row ? toStoredTemplate(row) : undefined;
}

/** One template by our id. */
export async function getTemplate(db: Kysely<DB>, storedId: number): Promise<StoredTemplate | undefined> {
  const row = await db.selectFrom('templates').selectAll().where('id', '=', storedId).executeTakeFirst();
  return row ? toStoredTemplate(row) : undefined;
}

/** Records a status change Meta announced (template status webhook); answers the templates it touched. */
export async function setTemplateStatus(
  db: Kysely<DB>,
  change: { metaId: string | null; name: string; language: string | null; status: string; reason: string | null },
): Promise<number[]> {
  const update = () => db.updateTable('templates').set({ status: change.status, status_reason: change.reason });
  // Meta's template id is exact; name and language are the fallback for a template synced without it.
  if (change.metaId) {
    const byId = await update().where('meta_id', '=', change.metaId).returning('id').execute();
    if (byId.length > 0) return byId.map((r) => r.id);
  }
  let byName = update().where('name', '=', change.name);
  if (change.language) byName = byName.where('language', '=', change.language);
  return (await byName.returning('id').execute()).map((r) => r.id);
}

function toStoredTemplate(row: Selectable<TemplatesTable>): StoredTemplate {
  return {
    storedId: row.id,
    id: row.meta_id ?? undefined,
    businessAccountId: row.business_account_id,
    name: row.name,
    language: row.language,
    status: row.status as StoredTemplate['status'],
    category: row.category as StoredTemplate['category'],
    parameterFormat: row.parameter_format as StoredTemplate['parameterFormat'],
    components: JSON.parse(row.components) as StoredTemplate['components'],
    qualityScore: (row.quality_score ?? undefined) as StoredTemplate['qualityScore'],
    statusReason: row.status_reason,
    syncedAt: row.synced_at,
  };
}
