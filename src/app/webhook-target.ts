import { BlockList, isIP } from 'node:net';

// Outbound webhooks POST wherever an admin points them. In live mode an address inside the
// network Chorus runs in (loopback, private, link-local: cloud metadata at 169.254.169.254) is
// refused, so a webhook cannot be turned into a probe of internal services (SSRF).

const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv6');

const V4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** True for an address inside a private, loopback, link-local or otherwise non-public range. */
export function isInternalAddress(address: string): boolean {
  const mapped = V4_MAPPED.exec(address)?.[1];
  if (mapped) return INTERNAL.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return false;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a webhook URL is refused, or null when it may be used; hostnames are checked again when resolved. */
export function webhookUrlProblem(text: string, allowInternal: boolean): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowInternal && (host === 'localhost' || isInternalAddress(host)))
    return 'points into a private network; set CHORUS_WEBHOOKS_ALLOW_PRIVATE=1 to allow that';
  return null;
}
