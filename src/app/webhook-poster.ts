import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import { isInternalAddress } from './webhook-target.ts';

/** Sends one signed delivery; answers the receiver's HTTP status. Throws when there was no answer. */
export type WebhookPoster = (
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
) => Promise<number>;

/**
 * A lookup that refuses names resolving into a private network, at connection time: a name that
 * looked public when the webhook was created cannot later be pointed inside (DNS rebinding).
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, options, (error, address: string | LookupAddress[], family?: number) => {
    if (error) return callback(error, '', 0);
    const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
    const internal = addresses.find(isInternalAddress);
    if (internal) {
      const refused = Object.assign(new Error(`${hostname} resolves to ${internal}, inside a private network`), {
        code: 'EPRIVATEADDRESS',
      });
      return callback(refused, '', 0);
    }
    return (callback as (e: null, a: string | LookupAddress[], f?: number) => void)(null, address, family);
  });
};

/** Posts over undici; unless private targets are allowed, only to public addresses. */
export function createWebhookPoster(options: { allowPrivateTargets: boolean }): WebhookPoster {
  const dispatcher = new Agent({
    connections: 8,
    ...(options.allowPrivateTargets ? {} : { connect: { lookup: publicOnlyLookup } }),
  });
  return async (url, body, headers, signal) => {
    const response = await request(url, { method: 'POST', body, headers, signal, dispatcher });
    // The answer's body is not wanted, but must be read for the connection to be reused.
    await response.body.dump();
    return response.statusCode;
  };
}
