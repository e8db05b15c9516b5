import { applyConsentFact, type ConsentState, deriveConsent, NO_CONSENT, serializeProof } from '../domain/consent.ts';
import type { ContactRow } from '../domain/contact-row.ts';
import type {
  ContactUpsert,
  ExistingContact,
  ImportTx,
  ImportWriter,
  NewConsentEvent,
} from '../store/import-writer.ts';

/** A valid row waiting to be written, with the file line it came from. Phones are distinct within a batch. */
export interface PendingRow {
  row: ContactRow;
  line: number;
}

/** What one batch did. */
export interface BatchOutcome {
  imported: number;
  updated: number;
  duplicates: number;
}

/** Which import is writing, for the duplicate check and the ledger's proof. */
export interface BatchContext {
  importId: number;
  fileName: string;
  now: number;
}

/**
 * Writes one batch in one transaction: a single query finds which phones exist, then multi-row
 * statements upsert contacts, add tags and append grants with their projection.
 */
export async function writeImportBatch(writer: ImportWriter, rows: readonly PendingRow[], context: BatchContext) {
  return writer.transaction(async (tx) => {
    const existing = await tx.findContactsByPhones(rows.map((r) => r.row.phone));
    const outcome: BatchOutcome = { imported: 0, updated: 0, duplicates: 0 };
    const applied: PendingRow[] = [];
    for (const pending of rows) {
      const found = existing.get(pending.row.phone);
      // Written earlier by this same import: a repeat of a phone seen higher up in the file.
      if (found && found.lastImportId === context.importId) outcome.duplicates++;
      else {
        applied.push(pending);
        if (found) outcome.updated++;
        else outcome.imported++;
      }
    }
    const states = await consentStates(tx, applied, existing);
    const ids = await tx.upsertContacts(
      applied.map((p) => toUpsert(p.row, existing.get(p.row.phone), states.get(p.row.phone), context)),
    );
    await tx.addContactTags(tagRows(applied, ids));
    await tx.appendConsentEvents(grantEvents(applied, ids, context));
    return outcome;
  });
}

async function consentStates(
  tx: ImportTx,
  applied: readonly PendingRow[],
  existing: Map<string, ExistingContact>,
): Promise<Map<string, ConsentState>> {
  const states = new Map<string, ConsentState>();
  const regranted = applied.filter((p) => p.row.grant && existing.has(p.row.phone));
  const facts = await tx.findConsentFacts(regranted.map((p) => existing.get(p.row.phone)?.id ?? 0));
  for (const { row } of applied) {
    const found = existing.get(row.phone);
    const grant = row.grant && {
      action: 'grant' as const,
      purpose: row.grant.purpose,
      occurredAt: row.grant.occurredAt,
    };
    if (!found) states.set(row.phone, grant ? applyConsentFact(NO_CONSENT, grant) : NO_CONSENT);
    // The whole ledger decides: an older grant in a file never undoes a newer opt-out.
    else if (grant) states.set(row.phone, deriveConsent([...(facts.get(found.id) ?? []), grant]));
    else states.set(row.phone, { marketingAt: found.marketingAt, utilityAt: found.utilityAt });
  }
  return states;
}

function toUpsert(
  row: ContactRow,
  found: ExistingContact | undefined,
  state: ConsentState | undefined,
  context: BatchContext,
): ContactUpsert {
  const hasAttributes = Object.keys(row.attributes).length > 0;
  const attributesJson = !found
    ? JSON.stringify(row.attributes)
    : hasAttributes
      ? JSON.stringify({ ...(JSON.parse(found.attributesJson) as object), ...row.attributes })
      : found.attributesJson;
  return {
    existingId: found?.id ?? null,
    phone: row.phone,
    firstName: row.firstName,
    lastName: row.lastName,
    language: row.language,
    attributesJson,
    marketingAt: state?.marketingAt ?? null,
    utilityAt: state?.utilityAt ?? null,
    now: context.now,
    importId: context.importId,
  };
}

function tagRows(applied: readonly PendingRow[], ids: Map<string, number>) {
  const rows: { contactId: number; tag: string }[] = [];
  for (const { row } of applied) {
    const contactId = ids.get(row.phone);
    if (contactId !== undefined) for (const tag of row.tags) rows.push({ contactId, tag });
  }
  return rows;
}

function grantEvents(applied: readonly PendingRow[], ids: Map<string, number>, context: BatchContext) {
  const events: NewConsentEvent[] = [];
  for (const { row, line } of applied) {
    const contactId = ids.get(row.phone);
    if (!row.grant || contactId === undefined) continue;
    events.push({
      contactId,
      action: 'grant',
      purpose: row.grant.purpose,
      source: row.grant.source,
      occurredAt: row.grant.occurredAt,
      recordedAt: context.now,
      proofJson: serializeProof({ importId: context.importId, importFile: context.fileName, importRow: line }),
    });
  }
  return events;
}
