// The MessageProvider for Meta's Cloud API: POST ${graphUrl}/${apiVersion}/${phoneNumberId}/messages
// over one keep-alive pool (reference/cloud-api.md §1). Never throws: every send ends in a SendOutcome.
import { EventEmitter } from 'node:events';
import { Pool } from 'undici';
import { AppError } from '../domain/errors.ts';
import type { MessageProvider, OutboundMessage, SendOutcome } from '../domain/outbound-message.ts';
import { buildTemplateMessage } from './build-template-message.ts';
import { failure, parseSendAnswer, transportFailure } from './send-answer.ts';
import type { WireSendRequest } from './wire-send.ts';

/** Where and how the client sends; `maxInFlight` bounds concurrent requests (one per connection). */
export interface CloudApiClientOptions {
  graphUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  accessToken: string;
  maxInFlight?: number;
  /** Longest wait for the answer's headers, and between body chunks. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
}

/** Default bound on concurrent requests; well above 80 mps × typical latency. */
export const DEFAULT_MAX_IN_FLIGHT = 256;
/** Default answer timeout. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** Sends messages to the Cloud API (or the simulator) and classifies every answer. */
export class CloudApiClient implements MessageProvider {
  readonly #pool: Pool;
  readonly #path: string;
  readonly #headers: Record<string, string>;
  readonly #relays = new WeakMap<AbortSignal, AbortRelay>();

  constructor(options: CloudApiClientOptions) {
    const base = new URL(options.graphUrl);
    const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // pipelining 1: one request per connection, so a reset loses at most that request.
    this.#pool = new Pool(base.origin, {
      connections: maxInFlight,
      pipelining: 1,
      connectTimeout: options.connectTimeoutMs ?? Math.min(timeoutMs, 10_000),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const prefix = base.pathname.replace(/\/+$/, '');
    this.#path = `${prefix}/${options.apiVersion}/${encodeURIComponent(options.phoneNumberId)}/messages`;
    this.#headers = { authorization: `Bearer ${options.accessToken}`, 'content-type': 'application/json' };
  }

  /** Sends one rendered template message; a bad `to` fails without a request. */
  async send(message: OutboundMessage, signal: AbortSignal): Promise<SendOutcome> {
    let body: WireSendRequest;
    try {
      body = buildTemplateMessage(message);
    } catch (thrown) {
      return buildFailure(thrown);
    }
    return this.sendRequest(body, signal);
  }

  /** Sends any prepared wire body (template, text, media, interactive). */
  async sendRequest(body: WireSendRequest, signal: AbortSignal): Promise<SendOutcome> {
    if (signal.aborted) return failure('retryable', 'aborted before sending', null, null);
    try {
      const answer = await this.#pool.request({
        path: this.#path,
        method: 'POST',
        headers: this.#headers,
        body: JSON.stringify(body),
        signal: this.#relayFor(signal),
      });
      const text = await answer.body.text();
      return parseSendAnswer(answer.statusCode, text);
    } catch (thrown) {
      return transportFailure(thrown, signal.aborted);
    }
  }

  /**
   * One shutdown signal is shared by every in-flight send. undici adds and removes an abort
   * listener per request, and on an AbortSignal (an EventTarget) that halved throughput in
   * bench:client; an EventEmitter relay, fed by one listener on the signal, costs next to nothing.
   */
  #relayFor(signal: AbortSignal): AbortRelay {
    let relay = this.#relays.get(signal);
    if (!relay) {
      const created = new AbortRelay();
      created.setMaxListeners(0);
      signal.addEventListener('abort', () => created.abort(signal.reason), { once: true });
      this.#relays.set(signal, created);
      relay = created;
    }
    return relay;
  }

  /** Closes the pool after in-flight requests finish. */
  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/** An EventEmitter that undici accepts as a request's abort signal. */
class AbortRelay extends EventEmitter {
  aborted = false;
  reason: unknown;

  abort(reason: unknown): void {
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/** A request that could not be built: a bad recipient fails that message, anything else the template. */
function buildFailure(thrown: unknown): SendOutcome {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const isRecipient = thrown instanceof AppError && thrown.code === 'invalid_phone';
  return failure(isRecipient ? 'recipient_permanent' : 'template', message, null, null);
}
