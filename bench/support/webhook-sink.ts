// A webhook receiver that does nothing but answer 200: what a bare client beside Chorus gets the
// simulator's status webhooks with, so both sides of a comparison take the same webhook traffic.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening sink: its URL, how many POSTs it answered, and close. */
export interface WebhookSink {
  url: string;
  received(): number;
  close(): Promise<void>;
}

/** Starts a sink on loopback that reads each POST to its end and answers 200, unchecked. */
export async function startWebhookSink(): Promise<WebhookSink> {
  let received = 0;
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      received += 1;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/whatsapp`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
