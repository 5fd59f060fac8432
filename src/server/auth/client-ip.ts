import { isIP } from 'node:net';

/**
 * The address a request came from, for sign-in throttling and the session record.
 *
 * X-Forwarded-For is written by the client unless a proxy we run rewrites it, so it is believed only as far as
 * TRUST_PROXY_HOPS says: 0 (the default) takes the socket's address and ignores the header; n takes the address the
 * n-th proxy from us saw (each proxy appends the address it received the request from, so the entries to the left of
 * that one may be forged). scripts/start.ts puts the result in X-Forwarded-For before Next.js sees the request, so
 * server code reads one trustworthy value with `clientIpFromHeaders`.
 */
export function resolveClientIp(input: { socketAddress: string | undefined; forwardedFor: string | string[] | undefined; trustedHops: number }): string {
  const socket = normalize(input.socketAddress) ?? 'unknown';
  if (input.trustedHops <= 0) return socket;
  const chain = [input.forwardedFor ?? []]
    .flat()
    .flatMap((h) => h.split(','))
    .map((s) => normalize(s.trim()))
    .filter((s): s is string => !!s);
  // [client, proxy1, …, proxyN-1] + socket (= proxyN): the hop-th address from the right is what proxy #1 saw
  const hops = [...chain, socket];
  return hops[Math.max(0, hops.length - 1 - input.trustedHops)];
}

/** "::ffff:10.0.0.1" → "10.0.0.1"; anything that is not an IP address → undefined. */
function normalize(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const a = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return isIP(a) ? a : undefined;
}

/** The client address as scripts/start.ts resolved it ("unknown" when the app runs behind another server). */
export function clientIpFromHeaders(h: { get(name: string): string | null }): string {
  const first = h.get('x-forwarded-for')?.split(',')[0]?.trim();
  return normalize(first) ?? 'unknown';
}
