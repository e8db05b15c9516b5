/** Why a contact may be messaged: marketing (promotions) or utility (transactional updates). */
export type ConsentPurpose = 'marketing' | 'utility';

/** Every consent purpose, for validation and loops. */
export const CONSENT_PURPOSES = ['marketing', 'utility'] as const satisfies readonly ConsentPurpose[];

/** A ledger entry either grants or revokes one purpose. */
export type ConsentAction = 'grant' | 'revoke';

/** The only channel Chorus sends on; kept in the ledger so proof stays meaningful if that changes. */
export const CONSENT_CHANNEL = 'whatsapp';

/** Why a number is on the suppression list; any reason blocks every message. */
export type SuppressionReason = 'opted_out' | 'blocked' | 'manual' | 'erased';

/** A reason kept on the suppression list beside the number; an erased number is kept only as a hash. */
export type ListedSuppressionReason = Exclude<SuppressionReason, 'erased'>;

/** Every suppression reason. */
export const SUPPRESSION_REASONS = [
  'opted_out',
  'blocked',
  'manual',
  'erased',
] as const satisfies readonly SuppressionReason[];

/** The part of a ledger entry that decides current consent. */
export interface ConsentFact {
  action: ConsentAction;
  purpose: ConsentPurpose;
  occurredAt: number;
}

/** Current consent per purpose: since when it stands (epoch ms), or null. */
export interface ConsentState {
  marketingAt: number | null;
  utilityAt: number | null;
}

/** What a grant or revocation carries as proof; stored as JSON in the ledger. */
export interface ConsentProof {
  /** The sign-up form it was given on: its id and slug. */
  formId?: number;
  formSlug?: string;
  formUrl?: string;
  /** The exact consent text the person was shown. */
  wording?: string;
  ip?: string;
  userAgent?: string;
  /** When the person submitted the form (ISO-8601); a double opt-in is granted later, on its message. */
  submittedAt?: string;
  /** The WhatsApp message that confirmed a double opt-in. */
  confirmedByWamid?: string;
  evidence?: string;
  importId?: number;
  importFile?: string;
  importRow?: number;
  apiKeyId?: number;
}

/** No consent at all. */
export const NO_CONSENT: ConsentState = { marketingAt: null, utilityAt: null };

/**
 * Folds the ledger into current consent. A marketing grant covers utility too; a revocation
 * clears only its own purpose (so "stop promotions" keeps order updates). Events are applied in
 * time order and, at equal times, in ledger order (the later entry wins). A grant while consent already stands keeps
 * the earlier time: the state says since when consent has stood.
 */
export function deriveConsent(events: readonly ConsentFact[]): ConsentState {
  // Array.prototype.sort is stable, so entries at the same time keep their ledger order.
  const ordered = [...events].sort((a, b) => a.occurredAt - b.occurredAt);
  let state = NO_CONSENT;
  for (const event of ordered) state = applyConsentFact(state, event);
  return state;
}

/** Applies one ledger entry to a state (the step of deriveConsent). */
export function applyConsentFact(state: ConsentState, event: ConsentFact): ConsentState {
  // Literals, not `{ ...state, field }`: an import applies this once per row, and Node 20's V8
  // copies a spread followed by more properties on a slow path.
  if (event.action === 'revoke') {
    return event.purpose === 'marketing'
      ? { marketingAt: null, utilityAt: state.utilityAt }
      : { marketingAt: state.marketingAt, utilityAt: null };
  }
  const utilityAt = state.utilityAt ?? event.occurredAt;
  if (event.purpose === 'utility') return { marketingAt: state.marketingAt, utilityAt };
  return { marketingAt: state.marketingAt ?? event.occurredAt, utilityAt };
}

/** The ledger's stored proof JSON (snake_case keys, absent values left out). */
export function serializeProof(proof: ConsentProof): string {
  return JSON.stringify({
    form_id: proof.formId,
    form_slug: proof.formSlug,
    form_url: proof.formUrl,
    wording: proof.wording,
    ip: proof.ip,
    user_agent: proof.userAgent,
    submitted_at: proof.submittedAt,
    confirmed_by_wamid: proof.confirmedByWamid,
    evidence: proof.evidence,
    import_id: proof.importId,
    import_file: proof.importFile,
    import_row: proof.importRow,
    api_key_id: proof.apiKeyId,
  });
}
