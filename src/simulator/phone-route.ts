// GET /{v}/{phone-number-id}: the fields a sender reads for its limits (reference §3).
import { answerOk, type GraphRequest } from './graph-context.ts';

/** The messaging-limit tier that a unique-recipient cap corresponds to (§3 ladder). */
export function tierOf(limit: number | null): string {
  if (limit === null) return 'TIER_UNLIMITED';
  if (limit <= 250) return 'TIER_250';
  if (limit <= 2_000) return 'TIER_2K';
  if (limit <= 10_000) return 'TIER_10K';
  if (limit <= 100_000) return 'TIER_100K';
  return 'TIER_UNLIMITED';
}

/** Answers the phone number node: default fields, or those named in `fields`. */
export function readPhoneNumber(g: GraphRequest): void {
  const { state } = g;
  const b = state.behaviour;
  const all: Record<string, unknown> = {
    id: state.options.phoneNumberId,
    display_phone_number: `+${state.options.displayPhoneNumber}`,
    verified_name: 'Chorus Sandbox',
    quality_rating: 'GREEN',
    code_verification_status: 'VERIFIED',
    // §3: 80 mps is STANDARD; the automatic upgrade to 1,000 mps is HIGH.
    throughput: { level: b.mps >= 1000 ? 'HIGH' : 'STANDARD' },
    whatsapp_business_manager_messaging_limit: tierOf(b.dailyRecipientLimit),
  };
  const fields = g.query.get('fields')?.split(',') ?? ['display_phone_number', 'verified_name', 'quality_rating'];
  const body: Record<string, unknown> = {};
  for (const field of fields) if (all[field] !== undefined) body[field] = all[field];
  body.id = state.options.phoneNumberId;
  answerOk(g, body);
}
