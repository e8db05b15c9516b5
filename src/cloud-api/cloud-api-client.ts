// The MessageProvider for Meta's Cloud API: POST ${graphUrl}/${apiVersion}/${phoneNumberId}/messages
// over one keep-alive pool (reference/cloud-api.md §1). Never throws: every send ends in a SendOutcome.
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
  #pool: Pool;
  readonly #openPool: () => Pool;
  readonly #path: string;
  readonly #headers: Record<string, string>;
  readonly #watchedSignals = new WeakSet<AbortSignal>();

  constructor(options: CloudApiClientOptions) {
    const base = new URL(options.graphUrl);
    const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // pipelining 1: one request per connection, so a reset loses at most that request.
    this.#openPool = () =>
      new Pool(base.origin, {
        connections: maxInFlight,
        pipelining: 1,
        connectTimeout: options.connectTimeoutMs ?? Math.min(timeoutMs, 10_000),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    this.#pool = this.#openPool();
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
    this.#abortInFlightOn(signal);
    try {
      const answer = await this.#pool.request({
        path: this.#path,
        method: 'POST',
        headers: this.#headers,
        body: JSON.stringify(body),
      });
      const text = await answer.body.text();
      return parseSendAnswer(answer.statusCode, text);
    } catch (thrown) {
      return transportFailure(thrown, signal.aborted);
    }
  }

  /**
   * The signal is the owner's shutdown: when it aborts, every send in flight on this client ends.
   * Handing it to undici per request costs a listener added and removed on one target holding
   * hundreds, which halves the client's throughput (a relay per request still costs a tenth), so
   * one listener per signal destroys the pool instead, and a fresh pool serves whatever is sent
   * after.
   */
  #abortInFlightOn(signal: AbortSignal): void {
    if (this.#watchedSignals.has(signal)) return;
    this.#watchedSignals.add(signal);
    signal.addEventListener(
      'abort',
      () => {
        const aborted = this.#pool;
        this.#pool = this.#openPool();
        void aborted.destroy(signal.reason instanceof Error ? signal.reason : null);
      },
      { once: true },
    );
  }

  /** Closes the pool after in-flight requests finish. */
  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/** A request that could not be built: a bad recipient fails that message, anything else the template. */
function buildFailure(thrown: unknown): SendOutcome {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const isRecipient = thrown instanceof AppError && thrown.code === 'invalid_phone';
  return failure(isRecipient ? 'recipient_permanent' : 'template', message, null, null);
}
