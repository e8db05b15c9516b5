import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConsentFact, deriveConsent } from './consent.ts';

const grant = (purpose: ConsentFact['purpose'], occurredAt: number): ConsentFact => ({
  action: 'grant',
  purpose,
  occurredAt,
});
const revoke = (purpose: ConsentFact['purpose'], occurredAt: number): ConsentFact => ({
  action: 'revoke',
  purpose,
  occurredAt,
});

describe('deriveConsent', () => {
  it('a marketing grant covers utility too', () => {
    expect(deriveConsent([grant('marketing', 10)])).toEqual({ marketingAt: 10, utilityAt: 10 });
  });

  it('revoking marketing keeps utility; revoking utility keeps marketing', () => {
    expect(deriveConsent([grant('marketing', 10), revoke('marketing', 20)])).toEqual({
      marketingAt: null,
      utilityAt: 10,
    });
    expect(deriveConsent([grant('marketing', 10), revoke('utility', 20)])).toEqual({
      marketingAt: 10,
      utilityAt: null,
    });
  });

  it('orders by time, so an older grant recorded later does not undo a newer revocation', () => {
    expect(deriveConsent([revoke('marketing', 20), grant('marketing', 10)]).marketingAt).toBeNull();
  });

  it('at equal times the later ledger entry wins', () => {
    expect(deriveConsent([grant('marketing', 10), revoke('marketing', 10)]).marketingAt).toBeNull();
    expect(deriveConsent([revoke('marketing', 10), grant('marketing', 10)]).marketingAt).toBe(10);
  });

  it('keeps the time since which consent stands', () => {
    expect(deriveConsent([grant('marketing', 10), grant('marketing', 30)]).marketingAt).toBe(10);
  });

  it('never shows marketing without utility unless utility was revoked after', () => {
    const fact = fc.record({
      action: fc.constantFrom('grant' as const, 'revoke' as const),
      purpose: fc.constantFrom('marketing' as const, 'utility' as const),
      occurredAt: fc.integer({ min: 0, max: 50 }),
    });
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 12 }), (facts) => {
        const state = deriveConsent(facts);
        const utilityRevokedLate = facts.some(
          (f) => f.action === 'revoke' && f.purpose === 'utility' && f.occurredAt >= (state.marketingAt ?? Infinity),
        );
        if (state.marketingAt !== null && !utilityRevokedLate) expect(state.utilityAt).not.toBeNull();
      }),
    );
  });
});
