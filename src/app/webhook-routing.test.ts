import { describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../cloud-api/webhook-events.ts';
import { routeWebhookEvents } from './webhook-routing.ts';

const directory = {
  senderOfPhoneNumber: (id: string) => ({ '111': 'default', '222': 'brand-b' })[id],
  hasBusinessAccount: (waba: string) => waba === 'W1',
};

const status = (phoneNumberId: string | null) =>
  ({ kind: 'status', wabaId: 'W1', phoneNumberId, wamid: `w.${phoneNumberId}` }) as unknown as WebhookEvent;
const templateEvent = (wabaId: string) => ({ kind: 'template_status', wabaId }) as unknown as WebhookEvent;

describe('routeWebhookEvents', () => {
  it('takes message and status events by business number, account and template events by WABA', () => {
    const events = [
      status('111'),
      status('222'),
      status('333'),
      status(null),
      templateEvent('W1'),
      templateEvent('W9'),
    ];
    const { routed, unrouted } = routeWebhookEvents(events, directory);
    expect(routed).toEqual([events[0], events[1], events[4]]);
    expect(unrouted).toEqual([events[2], events[3], events[5]]);
  });
});
