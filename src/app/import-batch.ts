import { applyConsentFact, type ConsentState, deriveConsent, NO_CONSENT, serializeProof } from '../domain/consent.ts';
import { ERASED_NUMBER_REASON } from '../domain/erased-recipient.ts';
import type { ContactUpsert, ExistingContact, ImportTx, NewConsentEvent } from '../store/import-writer.ts';
import type { PendingRow, RowError } from './row-batches.ts';

/** What one batch did. */
export interface BatchOutcome {
  imported: number;
  updated: number;
  duplicates: number;
  /** Rows of erased numbers, refused. */
  refused: RowError[];
}

/** Which import is writing, for the duplicate check and the ledger's proof. */
export interface BatchContext {
  importId: number;
  fileName: string;
  now: number;
}

const EMPTY_ATTRIBUTES = '{}';

/**
 * Writes one batch inside the import's open transaction. Rows of erased numbers are refused with
 * their line. Most rows of an import are new, so every other row is first inserted as new (phones
 * already stored are skipped by the store); only those skipped are looked up and updated. Then
 * multi-row statements add tags and append grants.
 */
export async function writeImportBatch(tx: ImportTx, batch: readonly PendingRow[], context: BatchContext) {
  const erased = await tx.findErasedPhones(batch.map((p) => p.phone));
  const rows = erased.size === 0 ? batch : batch.filter((p) => !erased.has(p.phone));
  const refused = batch.filter((p) => erased.has(p.phone)).map((p) => ({ row: p.line, reason: ERASED_NUMBER_REASON }));
  const ids = await tx.insertNewContacts(rows.map((p) => toUpsert(p, undefined, newState(p), context)));
  const outcome: BatchOutcome = { imported: ids.size, updated: 0, duplicates: 0, refused };
  const stored = rows.filter((p) => !ids.has(p.phone));
  const written = await updateStored(tx, stored, context, outcome);
  for (const [phone, id] of written) ids.set(phone, id);
  const applied = stored.length === 0 ? rows : rows.filter((p) => ids.has(p.phone));
  await tx.addContactTags(tagRows(applied, ids));
  await tx.appendConsentEvents(grantEvents(applied, ids, context));
  return outcome;
}

// Rows whose phone was already stored: a repeat from higher up in this file is a duplicate,
// anything else an update decided by the whole ledger.
async function updateStored(
  tx: ImportTx,
  stored: readonly PendingRow[],
  context: BatchContext,
  outcome: BatchOutcome,
): Promise<Map<string, number>> {
  if (stored.length === 0) return new Map();
  const existing = await tx.findContactsByPhones(stored.map((p) => p.phone));
  const applied: PendingRow[] = [];
  for (const pending of stored) {
    const found = existing.get(pending.phone);
    if (found && found.lastImportId === context.importId) outcome.duplicates++;
    else {
      applied.push(pending);
      // Not found: removed since the insert skipped it; the upsert writes it anew.
      if (found) outcome.updated++;
      else outcome.imported++;
    }
  }
  const states = await storedStates(tx, applied, existing);
  return tx.upsertContacts(
    applied.map((p) => toUpsert(p, existing.get(p.phone), states.get(p.phone) ?? newState(p), context)),
  );
}

function newState(pending: PendingRow): ConsentState {
  const grant = grantFact(pending);
  return grant ? applyConsentFact(NO_CONSENT, grant) : NO_CONSENT;
}

function grantFact({ grant }: PendingRow) {
  return grant && { action: 'grant' as const, purpose: grant.purpose, occurredAt: grant.occurredAt };
}

async function storedStates(
  tx: ImportTx,
  applied: readonly PendingRow[],
  existing: Map<string, ExistingContact>,
): Promise<Map<string, ConsentState>> {
  const states = new Map<string, ConsentState>();
  const regranted = applied.filter((p) => p.grant && existing.has(p.phone));
  const facts = await tx.findConsentFacts(regranted.map((p) => existing.get(p.phone)?.id ?? 0));
  for (const pending of applied) {
    const found = existing.get(pending.phone);
    const grant = grantFact(pending);
    if (!found) continue;
    // The whole ledger decides: an older grant in a file never undoes a newer opt-out.
    if (grant) states.set(pending.phone, deriveConsent([...(facts.get(found.id) ?? []), grant]));
    else states.set(pending.phone, { marketingAt: found.marketingAt, utilityAt: found.utilityAt });
  }
  return states;
}

function toUpsert(
  row: PendingRow,
  found: ExistingContact | undefined,
  state: ConsentState,
  context: BatchContext,
): ContactUpsert {
  const attributesJson = !found
    ? row.attributesJson
    : row.attributesJson !== EMPTY_ATTRIBUTES
      ? JSON.stringify({ ...(JSON.parse(found.attributesJson) as object), ...JSON.parse(row.attributesJson) })
      : found.attributesJson;
  return {
    existingId: found?.id ?? null,
    phone: row.phone,
    firstName: row.firstName,
    lastName: row.lastName,
    language: row.language,
    attributesJson,
    marketingAt: state.marketingAt,
    utilityAt: state.utilityAt,
    now: context.now,
    importId: context.importId,
  };
}

function tagRows(applied: readonly PendingRow[], ids: Map<string, number>) {
  const rows: { contactId: number; tag: string }[] = [];
  for (const row of applied) {
    const contactId = ids.get(row.phone);
    if (contactId !== undefined) for (const tag of row.tags) rows.push({ contactId, tag });
  }
  return rows;
}

// The proofs of one import differ only in the row number at their end: serialised once, not per
// row (JSON.stringify per grant would cost a twentieth of the writing thread's time).
function proofForRow(context: BatchContext): (row: number) => string {
  const proof = (importRow: number) =>
    serializeProof({ importId: context.importId, importFile: context.fileName, importRow });
  const zero = proof(0);
  const tail = ',"import_row":0}';
  if (!zero.endsWith(tail)) return proof;
  const head = zero.slice(0, -'0}'.length);
  return (row) => `${head}${row}}`;
}

function grantEvents(applied: readonly PendingRow[], ids: Map<string, number>, context: BatchContext) {
  const events: NewConsentEvent[] = [];
  const proof = proofForRow(context);
  for (const { phone, grant, line } of applied) {
    const contactId = ids.get(phone);
    if (!grant || contactId === undefined) continue;
    events.push({
      contactId,
      action: 'grant',
      purpose: grant.purpose,
      source: grant.source,
      occurredAt: grant.occurredAt,
      recordedAt: context.now,
      proofJson: proof(line),
    });
  }
  return events;
}
