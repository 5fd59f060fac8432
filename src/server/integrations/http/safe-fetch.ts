/**
 * SSRF guard for URLs that users submit (the "analyze this URL" form and API). Configured base URLs are trusted and
 * never pass through here.
 *
 * assertPublicUrl: only http/https; the host (literal IP or every A/AAAA record) must be globally routable — no
 * loopback, private, link-local (incl. the 169.254.169.254 cloud metadata address), CGNAT, multicast, reserved or
 * documentation ranges, also when wrapped in IPv6 (IPv4-mapped ::ffff:a.b.c.d, NAT64, 6to4). Numeric host spellings
 * (http://2130706433/, http://0x7f.1/) are normalized to dotted IPv4 by the WHATWG URL parser before the check.
 *
 * safeFetch: follows redirects by hand and re-checks every hop. DNS rebinding: the connection is pinned to the
 * addresses that were checked (node:http `lookup` option), so a second, different DNS answer cannot redirect the
 * socket to an internal address between check and connect. (undici is not importable here, so global fetch cannot be
 * given a pinned resolver; node:http can.) Residual risk: none from DNS; an HTTP proxy is never used.
 *
 * `allowPrivate` (ALLOW_PRIVATE_URLS, tests only) skips the address check, not the scheme check.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Readable } from 'node:stream';
import { DomainError } from '@/src/server/errors';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves every address of a host name (A and AAAA). Injectable for tests. */
export type LookupAll = (hostname: string) => Promise<ResolvedAddress[]>;

export interface UrlGuardOptions {
  allowPrivate: boolean;
  lookup?: LookupAll;
}

export const defaultLookup: LookupAll = async (hostname) => {
  const records = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return records.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
};

const badUrl = (message: string) => new DomainError('bad_request', message, 'url');

// ---------------------------------------------------------------------------------------------------------------
// Address classification

type Range4 = [base: number, prefix: number, name: string];

const ip4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

const BLOCKED_V4: Range4[] = [
  [ip4(0, 0, 0, 0), 8, '"this network" address (0.0.0.0/8)'],
  [ip4(10, 0, 0, 0), 8, 'private address (10.0.0.0/8)'],
  [ip4(100, 64, 0, 0), 10, 'carrier-grade NAT address (100.64.0.0/10)'],
  [ip4(127, 0, 0, 0), 8, 'loopback address (127.0.0.0/8)'],
  [ip4(169, 254, 0, 0), 16, 'link-local address (169.254.0.0/16, includes the cloud metadata service)'],
  [ip4(172, 16, 0, 0), 12, 'private address (172.16.0.0/12)'],
  [ip4(192, 0, 0, 0), 24, 'IETF protocol address (192.0.0.0/24)'],
  [ip4(192, 0, 2, 0), 24, 'documentation address (192.0.2.0/24)'],
  [ip4(192, 88, 99, 0), 24, 'reserved 6to4 relay address (192.88.99.0/24)'],
  [ip4(192, 168, 0, 0), 16, 'private address (192.168.0.0/16)'],
  [ip4(198, 18, 0, 0), 15, 'benchmarking address (198.18.0.0/15)'],
  [ip4(198, 51, 100, 0), 24, 'documentation address (198.51.100.0/24)'],
  [ip4(203, 0, 113, 0), 24, 'documentation address (203.0.113.0/24)'],
  [ip4(224, 0, 0, 0), 4, 'multicast address (224.0.0.0/4)'],
  [ip4(240, 0, 0, 0), 4, 'reserved or broadcast address (240.0.0.0/4)'],
];

function parseIPv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  const [a, b, c, d] = parts.map(Number) as [number, number, number, number];
  return ip4(a, b, c, d);
}

function classifyIPv4(value: number): string | null {
  for (const [base, prefix, name] of BLOCKED_V4) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if (((value & mask) >>> 0) === base) return name;
  }
  return null;
}

/** Eight 16-bit groups, or null. Accepts `::` compression, a dotted IPv4 tail and a %zone suffix. */
function parseIPv6(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, '');
  const zone = s.indexOf('%');
  if (zone !== -1) s = s.slice(0, zone);
  if (!net.isIPv6(s)) return null;
  const lastColon = s.lastIndexOf(':');
  const dotted = s.slice(lastColon + 1);
  if (dotted.includes('.')) {
    const v4 = parseIPv4(dotted);
    if (v4 === null) return null;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - left.length - right.length : 0;
  if (fill < 0) return null;
  const all = [...left, ...Array<number>(fill).fill(0), ...right];
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : null;
}

const embeddedV4 = (hi: number, lo: number) => ((hi << 16) | lo) >>> 0;

function classifyIPv6(g: number[]): string | null {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const firstSixZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (firstSixZero && g5 === 0 && g6 === 0 && g7 === 0) return 'unspecified address (::)';
  if (firstSixZero && g5 === 0 && g6 === 0 && g7 === 1) return 'loopback address (::1)';
  if (firstSixZero && g5 === 0xffff) {
    const inner = classifyIPv4(embeddedV4(g6, g7));
    return inner ? `IPv4-mapped ${inner}` : null;
  }
  if (firstSixZero && g5 === 0) return 'deprecated IPv4-compatible IPv6 address (::/96)';
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    const inner = classifyIPv4(embeddedV4(g6, g7));
    return inner ? `NAT64-embedded ${inner}` : null;
  }
  if (g0 === 0x2002) {
    const inner = classifyIPv4(embeddedV4(g1, g2));
    return inner ? `6to4-embedded ${inner}` : null;
  }
  if ((g0 & 0xfe00) === 0xfc00) return 'private (unique local) address (fc00::/7)';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local address (fe80::/10)';
  if ((g0 & 0xffc0) === 0xfec0) return 'site-local address (fec0::/10)';
  if ((g0 & 0xff00) === 0xff00) return 'multicast address (ff00::/8)';
  if (g0 === 0x2001 && g1 === 0x0db8) return 'documentation address (2001:db8::/32)';
  if (g0 === 0x2001 && g1 === 0) return 'Teredo tunnel address (2001::/32)';
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return 'discard-only address (100::/64)';
  if ((g0 & 0xe000) !== 0x2000) return 'reserved IPv6 address (outside 2000::/3)';
  return null;
}

/**
 * The class of a non-public IP address ("loopback address (127.0.0.0/8)" …), null for a globally routable one.
 * Throws for text that is not an IP address.
 */
export function classifyAddress(ip: string): string | null {
  const v4 = parseIPv4(ip);
  if (v4 !== null) return classifyIPv4(v4);
  const v6 = parseIPv6(ip);
  if (v6) return classifyIPv6(v6);
  throw new Error(`not an IP address: ${ip}`);
}

// ---------------------------------------------------------------------------------------------------------------
// URL checks

function parseHttpUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(input).trim());
  } catch {
    throw badUrl('url is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badUrl('url must use http or https');
  if (url.hostname === '') throw badUrl('url has no host');
  return url;
}

/** Host without IPv6 brackets. */
const bareHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

async function resolveHost(url: URL, lookup: LookupAll): Promise<ResolvedAddress[]> {
  const host = bareHost(url);
  const literal = net.isIP(host);
  if (literal) return [{ address: host, family: literal === 6 ? 6 : 4 }];
  let addresses: ResolvedAddress[];
  try {
    addresses = await lookup(host);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw badUrl(`url host "${host}" could not be resolved${code ? ` (${code})` : ''}`);
  }
  if (addresses.length === 0) throw badUrl(`url host "${host}" has no addresses`);
  return addresses;
}

function assertPublicAddresses(url: URL, addresses: ResolvedAddress[]): void {
  const host = bareHost(url);
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (kind) {
      const article = /^[aeiou]/i.test(kind) ? 'an' : 'a';
      const where =
        address === host
          ? `url points to ${article} ${kind}`
          : `url host "${host}" resolves to ${article} ${kind} (${address})`;
      throw badUrl(`${where}; only public internet addresses are allowed`);
    }
  }
}

/** Checks a URL and returns it with the addresses it resolved to (for pinning the connection). */
export async function resolvePublicUrl(
  input: string | URL,
  options: UrlGuardOptions,
): Promise<{ url: URL; addresses: ResolvedAddress[] }> {
  const url = parseHttpUrl(input);
  const addresses = await resolveHost(url, options.lookup ?? defaultLookup);
  if (!options.allowPrivate) assertPublicAddresses(url, addresses);
  return { url, addresses };
}

/** Refuses URLs that are not http(s) or that reach a non-public address; returns the parsed URL. */
export async function assertPublicUrl(input: string, options: UrlGuardOptions): Promise<URL> {
  if (options.allowPrivate) return parseHttpUrl(input);
  return (await resolvePublicUrl(input, options)).url;
}

// ---------------------------------------------------------------------------------------------------------------
// Fetching

export interface SafeFetchInit {
  method?: string;
  headers?: HeadersInit;
  body?: string | Uint8Array | null;
  signal?: AbortSignal;
}

export interface HopRequest {
  url: URL;
  method: string;
  headers: Headers;
  body: string | Uint8Array | null;
  /** The checked addresses the connection must use. */
  addresses: ResolvedAddress[];
  signal: AbortSignal;
}

/** Performs exactly one HTTP exchange, never following redirects. The seam tests replace. */
export type HopTransport = (request: HopRequest) => Promise<Response>;

export interface SafeFetchOptions extends UrlGuardOptions {
  maxRedirects?: number;
  timeoutMs?: number;
  /** Refuse bodies larger than this (Content-Length up front, counted bytes while streaming). */
  maxBytes?: number;
  transport?: HopTransport;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** node:http(s) with the socket pinned to the checked addresses. */
export const nodeTransport: HopTransport = (request) =>
  new Promise<Response>((resolve, reject) => {
    const pinned = request.addresses;
    const lookup: net.LookupFunction = (_hostname, options, callback) => {
      const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
      const family = typeof options === 'object' && options !== null ? (options as { family?: number }).family : 0;
      const candidates = family ? pinned.filter((a) => a.family === family) : pinned;
      const list = candidates.length > 0 ? candidates : pinned;
      if (all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, list);
      else (callback as (e: null, a: string, f: number) => void)(null, list[0]!.address, list[0]!.family);
    };
    const client = request.url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const req = client.request(
      request.url,
      { method: request.method, headers, lookup, signal: request.signal, agent: false },
      (res) => {
        const responseHeaders = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        }
        const status = res.statusCode ?? 502;
        const body = NULL_BODY_STATUSES.has(status) || request.method === 'HEAD' ? null : Readable.toWeb(res);
        if (body === null) res.resume();
        resolve(
          new Response(body as ReadableStream<Uint8Array> | null, {
            status,
            statusText: res.statusMessage ?? '',
            headers: responseHeaders,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(request.body ?? undefined);
  });

function limitBody(response: Response, maxBytes: number, url: URL): Response {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel();
    throw new DomainError('payload_too_large', `${url.href} is ${declared} bytes, more than the ${maxBytes} allowed`, 'url');
  }
  if (!response.body) return response;
  let seen = 0;
  const limited = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) {
          controller.error(
            new DomainError('payload_too_large', `${url.href} sent more than the ${maxBytes} bytes allowed`, 'url'),
          );
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * fetch for user-submitted URLs: every hop is checked with the URL guard and connected to the checked address;
 * redirects are followed by hand (at most `maxRedirects`), 303 — and 301/302 after POST — become GET without body,
 * credentials are dropped when a redirect leaves the origin. The returned Response carries the final `url`.
 */
export async function safeFetch(
  input: string,
  init: SafeFetchInit = {},
  options: SafeFetchOptions,
): Promise<Response> {
  const maxRedirects = options.maxRedirects ?? 5;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const transport = options.transport ?? nodeTransport;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;

  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body ?? null;
  const headers = new Headers(init.headers);
  let { url, addresses } = await resolvePublicUrl(input, options);

  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await transport({ url, method, headers, body, addresses, signal });
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (timeout.aborted) {
        throw new DomainError('upstream_failed', `${url.href} did not answer within ${timeoutMs} ms`, 'url');
      }
      if (init.signal?.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new DomainError('upstream_failed', `${url.href} could not be fetched: ${reason}`, 'url');
    }

    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null) {
      const final = options.maxBytes !== undefined ? limitBody(response, options.maxBytes, url) : response;
      Object.defineProperty(final, 'url', { value: url.href });
      return final;
    }

    void response.body?.cancel();
    if (hop >= maxRedirects) {
      throw new DomainError('upstream_failed', `${input} redirected more than ${maxRedirects} times`, 'url');
    }
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new DomainError('upstream_failed', `${url.href} redirected to an invalid location "${location}"`, 'url');
    }
    try {
      ({ url: next, addresses } = await resolvePublicUrl(next, options));
    } catch (error) {
      if (error instanceof DomainError) {
        throw new DomainError(error.code, `redirect ${hop + 1} from ${url.href} refused: ${error.message}`, 'url');
      }
      throw error;
    }

    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET';
      body = null;
      headers.delete('content-type');
      headers.delete('content-length');
    }
    if (next.origin !== url.origin) {
      for (const name of CREDENTIAL_HEADERS) headers.delete(name);
    }
    url = next;
  }
}
