// Test helper: a node:http server on 127.0.0.1 that answers like Meta, one handler per test.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake server received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Decides the answer to one request; it may also destroy `res.socket`. */
export type GraphHandler = (req: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

/** A running fake Graph server. */
export interface FakeGraphServer {
  url: string;
  received: ReceivedRequest[];
  /** Highest number of requests in progress at once. */
  maxConcurrent: () => number;
  setHandler(handler: GraphHandler): void;
  close(): Promise<void>;
}

/** Answers with JSON. */
export function answerJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Starts a fake Graph server on an ephemeral loopback port. */
export async function startFakeGraphServer(initial: GraphHandler): Promise<FakeGraphServer> {
  let handler = initial;
  let current = 0;
  let peak = 0;
  const received: ReceivedRequest[] = [];
  const server = createServer(async (req, res) => {
    current += 1;
    peak = Math.max(peak, current);
    res.on('close', () => {
      current -= 1;
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    received.push(request);
    await handler(request, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    maxConcurrent: () => peak,
    setHandler: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
