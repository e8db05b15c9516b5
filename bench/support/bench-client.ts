// A Cloud API client pointed at a bench simulator, and the one message the benches send with it
// directly (beside Chorus): the sandbox's `order_update` template to a bench contact.
import { CloudApiClient } from '../../src/cloud-api/cloud-api-client.ts';
import type { OutboundMessage } from '../../src/domain/outbound-message.ts';
import { benchPhone } from './contacts.ts';
import { BENCH_IDS } from './sim-process.ts';

/** A CloudApiClient with the bench simulator's credentials. */
export function benchClient(url: string, maxInFlight?: number): CloudApiClient {
  return new CloudApiClient({
    graphUrl: url,
    apiVersion: 'v23.0',
    phoneNumberId: BENCH_IDS.phoneNumberId,
    accessToken: BENCH_IDS.accessToken,
    maxInFlight,
  });
}

/** `order_update` ("Order {{1}} is {{2}}.") to bench contact `phoneIndex`, order `code`. */
export function orderUpdate(phoneIndex: number, callbackData: string, code: string): OutboundMessage {
  return {
    to: benchPhone(phoneIndex),
    callbackData,
    template: {
      name: 'order_update',
      languageCode: 'en_US',
      body: [
        { type: 'text', text: code },
        { type: 'text', text: 'shipped' },
      ],
      buttons: [],
    },
  };
}
