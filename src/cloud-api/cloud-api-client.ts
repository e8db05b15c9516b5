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
  readonly #inFlightBySignal = new WeakMap<AbortSignal, Set<AbortRelay>>();

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
    const inFlight = this.#inFlightFor(signal);
    const relay = new AbortRelay();
    inFlight.add(relay);
    try {
      const answer = await this.#pool.request({
        path: this.#path,
        method: 'POST',
        headers: this.#headers,
        body: JSON.stringify(body),
        signal: relay,
      });
      const text = await answer.body.text();
      return parseSendAnswer(answer.statusCode, text);
    } catch (thrown) {
      return transportFailure(thrown, signal.aborted);
    } finally {
      inFlight.delete(relay);
    }
  }

  /**
   * One shutdown signal is shared by every in-flight send. Handing it to undici costs a listener
   * added and removed per request on one EventTarget (or emitter) holding hundreds: that took half,
   * then a tenth, of bench:client's throughput. Each request gets its own tiny relay instead, and
   * one listener on the signal aborts the relays in flight.
   */
  #inFlightFor(signal: AbortSignal): Set<AbortRelay> {
    let inFlight = this.#inFlightBySignal.get(signal);
    if (!inFlight) {
      const relays = new Set<AbortRelay>();
      signal.addEventListener(
        'abort',
        () => {
          for (const relay of relays) relay.abort(signal.reason);
        },
        { once: true },
      );
      this.#inFlightBySignal.set(signal, relays);
      inFlight = relays;
    }
    return inFlight;
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
