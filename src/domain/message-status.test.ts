import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isForward, MESSAGE_STATUSES, type MessageStatus, toDeliveryStatus } from './message-status.ts';

describe('message status moves only forward', () => {
  it('read never falls back to delivered, failed never undoes delivered', () => {
    expect(isForward('read', 'delivered')).toBe(false);
    expect(isForward('delivered', 'failed')).toBe(false);
    expect(isForward('sent', 'failed')).toBe(true);
    expect(isForward('accepted', 'read')).toBe(true);
    expect(isForward('sending', 'sent')).toBe(true);
    expect(isForward('skipped', 'sent')).toBe(false);
  });

  it('applying any sequence of webhook statuses in any order ends at the furthest one', () => {
    const webhookStatuses: MessageStatus[] = ['sent', 'delivered', 'read'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...webhookStatuses), { minLength: 1, maxLength: 8 }), (events) => {
        let status: MessageStatus = 'accepted';
        for (const next of events) if (isForward(status, next)) status = next;
        const furthest = events.includes('read') ? 'read' : events.includes('delivered') ? 'delivered' : 'sent';
        expect(status).toBe(furthest);
      }),
    );
  });

  it('knows every documented status and maps played to read', () => {
    expect(MESSAGE_STATUSES).toHaveLength(8);
    expect(toDeliveryStatus('played')).toBe('read');
    expect(toDeliveryStatus('deleted')).toBeUndefined();
  });
});
