import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError } from '@/src/server/errors';
import {
  assertPublicUrl,
  classifyAddress,
  safeFetch,
  type HopRequest,
  type LookupAll,
  type ResolvedAddress,
} from '@/src/server/integrations/http/safe-fetch';

const PUBLIC_IP = '93.184.216.34';

/** Offline DNS: a fixed table; unknown names fail like ENOTFOUND. */
function fakeLookup(table: Record<string, string[]>): LookupAll {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

async function assertRefused(promise: Promise<unknown>, message: RegExp, code = 'bad_request') {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DomainError, `expected DomainError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.field, 'url');
    assert.match(error.message, message);
    return true;
  });
}

const strict = { allowPrivate: false, lookup: fakeLookup({ 'public.test': [PUBLIC_IP] }) };

test('classifies every non-public address class and lets public ones through', () => {
  const cases: [string, RegExp | null][] = [
    ['127.0.0.1', /loopback/],
    ['127.255.0.9', /loopback/],
    ['::1', /loopback/],
    ['10.1.2.3', /private.*10\.0\.0\.0\/8/],
    ['172.16.0.1', /private.*172\.16/],
    ['172.31.255.255', /private/],
    ['192.168.1.1', /private.*192\.168/],
    ['fc00::1', /unique local/],
    ['fd00:ec2::254', /unique local/],
    ['169.254.169.254', /link-local.*metadata/],
    ['fe80::1', /link-local/],
    ['fe80::1%eth0', /link-local/],
    ['0.0.0.0', /this network/],
    ['0.1.2.3', /this network/],
    ['::', /unspecified/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.255', /carrier-grade NAT/],
    ['224.0.0.251', /multicast/],
    ['ff02::fb', /multicast/],
    ['255.255.255.255', /broadcast/],
    ['::ffff:127.0.0.1', /IPv4-mapped loopback/],
    ['::ffff:a9fe:a9fe', /IPv4-mapped link-local/],
    ['::ffff:10.0.0.1', /IPv4-mapped private/],
    ['64:ff9b::a00:1', /NAT64-embedded private/],
    ['2002:7f00:1::', /6to4-embedded loopback/],
    ['2001:db8::1', /documentation/],
    ['198.18.0.1', /benchmarking/],
    [PUBLIC_IP, null],
    ['8.8.8.8', null],
    ['172.32.0.1', null],
    ['100.128.0.1', null],
    ['2606:4700:4700::1111', null],
    ['::ffff:8.8.8.8', null],
  ];
  for (const [address, expected] of cases) {
    const kind = classifyAddress(address);
    if (expected === null) assert.equal(kind, null, address);
    else assert.match(kind ?? 'public', expected, address);
  }
  assert.throws(() => classifyAddress('not-an-ip'));
});

test('only http and https are accepted', async () => {
  for (const url of ['ftp://public.test/a', 'file:///etc/passwd', 'gopher://public.test/', 'javascript:alert(1)']) {
    await assertRefused(assertPublicUrl(url, strict), /^url must use http or https$/);
  }
  await assertRefused(assertPublicUrl('file:///etc/passwd', { allowPrivate: true }), /http or https/);
  await assertRefused(assertPublicUrl('not a url', strict), /not a valid absolute URL/);
});

test('literal IPs in blocked ranges are refused, in any spelling the URL parser normalizes', async () => {
  const cases: [string, RegExp][] = [
    ['http://127.0.0.1/', /loopback/],
    ['http://2130706433/', /loopback/],
    ['http://0x7f.1/', /loopback/],
    ['http://017700000001/', /loopback/],
    ['http://127.1:8080/x', /loopback/],
    ['http://[::1]/', /loopback/],
    ['http://[::ffff:127.0.0.1]/', /IPv4-mapped loopback/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://10.0.0.8/', /private/],
    ['https://192.168.0.1/', /private/],
    ['http://100.64.1.1/', /carrier-grade/],
    ['http://0.0.0.0:3000/', /this network/],
    ['http://[fe80::1]/', /link-local/],
    ['http://[fd00::1]/', /unique local/],
    ['http://224.0.0.1/', /multicast/],
  ];
  for (const [url, kind] of cases) {
    await assertRefused(assertPublicUrl(url, strict), kind);
  }
});

test('host names are resolved and refused when any address is not public', async () => {
  const lookup = fakeLookup({
    'public.test': [PUBLIC_IP, '2606:2800:220:1:248:1893:25c8:1946'],
    'mixed.test': [PUBLIC_IP, '10.0.0.5'],
    'metadata.test': ['169.254.169.254'],
    'v6local.test': ['::1'],
    'empty.test': [],
  });
  const url = await assertPublicUrl('https://public.test/video.mp4?x=1', { allowPrivate: false, lookup });
  assert.equal(url.href, 'https://public.test/video.mp4?x=1');
  await assertRefused(
    assertPublicUrl('https://mixed.test/', { allowPrivate: false, lookup }),
    /host "mixed\.test" resolves to a private address \(10\.0\.0\.0\/8\) \(10\.0\.0\.5\)/,
  );
  await assertRefused(assertPublicUrl('http://metadata.test/', { allowPrivate: false, lookup }), /link-local/);
  await assertRefused(assertPublicUrl('http://v6local.test/', { allowPrivate: false, lookup }), /loopback/);
  await assertRefused(assertPublicUrl('http://empty.test/', { allowPrivate: false, lookup }), /no addresses/);
  await assertRefused(assertPublicUrl('http://nowhere.test/', { allowPrivate: false, lookup }), /could not be resolved \(ENOTFOUND\)/);
});

test('the default resolver is the system one (localhost resolves to loopback and is refused)', async () => {
  await assertRefused(assertPublicUrl('http://localhost:9/', { allowPrivate: false }), /localhost.*loopback/);
});

test('allowPrivate skips the address check but not the scheme check', async () => {
  const url = await assertPublicUrl('http://127.0.0.1:9/x', { allowPrivate: true });
  assert.equal(url.href, 'http://127.0.0.1:9/x');
});

// --- safeFetch against a real local server -------------------------------------------------------------------

let server: http.Server;
let origin: string;
let port: number;
const hits: string[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/final' }).end();
    } else if (req.url === '/loop') {
      res.writeHead(301, { location: '/loop' }).end();
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-length': '10000' }).end('x'.repeat(10_000));
    } else if (req.url === '/big-chunked') {
      res.writeHead(200);
      res.write('x'.repeat(600));
      res.end('x'.repeat(600));
    } else if (req.url === '/hang') {
      // never answers
    } else {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-host': req.headers.host ?? '' }).end(`hello from ${req.url}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('a local server on 127.0.0.1 is refused unless allowPrivate', async () => {
  const before = hits.length;
  await assertRefused(safeFetch(`${origin}/ok`, {}, { allowPrivate: false }), /loopback/);
  assert.equal(hits.length, before, 'no request may reach the server');

  const response = await safeFetch(`${origin}/ok`, {}, { allowPrivate: true });
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'hello from /ok');
  assert.equal(response.url, `${origin}/ok`);
});

test('the connection goes to the resolved (checked) address, not a second DNS answer', async () => {
  // pinned.test exists only in the injected table: reaching the server proves the socket used that answer.
  const lookup = fakeLookup({ 'pinned.test': ['127.0.0.1'] });
  const response = await safeFetch(`http://pinned.test:${port}/pinned`, {}, { allowPrivate: true, lookup });
  assert.equal(await response.text(), 'hello from /pinned');
  assert.equal(response.headers.get('x-host'), `pinned.test:${port}`);
});

test('redirects are followed (relative locations too) and the final URL is reported', async () => {
  const response = await safeFetch(`${origin}/redirect`, {}, { allowPrivate: true });
  assert.equal(await response.text(), 'hello from /final');
  assert.equal(response.url, `${origin}/final`);
});

test('redirect loops stop after maxRedirects', async () => {
  await assertRefused(
    safeFetch(`${origin}/loop`, {}, { allowPrivate: true, maxRedirects: 3 }),
    /redirected more than 3 times/,
    'upstream_failed',
  );
});

test('maxBytes refuses large bodies, declared or streamed', async () => {
  await assertRefused(
    safeFetch(`${origin}/big`, {}, { allowPrivate: true, maxBytes: 1000 }),
    /10000 bytes, more than the 1000 allowed/,
    'payload_too_large',
  );
  const response = await safeFetch(`${origin}/big-chunked`, {}, { allowPrivate: true, maxBytes: 1000 });
  await assertRefused(response.text(), /more than the 1000 bytes allowed/, 'payload_too_large');
  const small = await safeFetch(`${origin}/ok`, {}, { allowPrivate: true, maxBytes: 1000 });
  assert.equal(await small.text(), 'hello from /ok');
});

test('a server that does not answer times out with a clear error', async () => {
  await assertRefused(
    safeFetch(`${origin}/hang`, {}, { allowPrivate: true, timeoutMs: 200 }),
    /did not answer within 200 ms/,
    'upstream_failed',
  );
});

// --- redirect re-check through the transport seam (offline) --------------------------------------------------

function scriptedTransport(routes: Record<string, { status: number; location?: string; body?: string }>) {
  const calls: HopRequest[] = [];
  const transport = async (request: HopRequest) => {
    calls.push({ ...request, headers: new Headers(request.headers) });
    const route = routes[request.url.href];
    if (!route) throw new Error(`unexpected request to ${request.url.href}`);
    const headers = route.location ? { location: route.location } : undefined;
    return new Response(route.body ?? null, { status: route.status, headers });
  };
  return { calls, transport };
}

const seamLookup = fakeLookup({
  'redirector.test': [PUBLIC_IP],
  'cdn.test': ['151.101.1.1'],
  'internal.test': ['10.0.0.7'],
});

test('a redirect from a public host to a private one is refused before it is requested', async () => {
  const { calls, transport } = scriptedTransport({
    'http://redirector.test/video': { status: 302, location: 'http://internal.test/secret' },
  });
  await assertRefused(
    safeFetch('http://redirector.test/video', {}, { allowPrivate: false, lookup: seamLookup, transport }),
    /redirect 1 from http:\/\/redirector\.test\/video refused: .*internal\.test.*private/,
  );
  assert.deepEqual(calls.map((c) => c.url.href), ['http://redirector.test/video']);
  assert.deepEqual(calls[0]!.addresses, [{ address: PUBLIC_IP, family: 4 }], 'the checked address is handed to the transport');
});

test('a redirect to the metadata address or a non-http scheme is refused', async () => {
  for (const location of ['http://169.254.169.254/latest/meta-data/', 'http://[::ffff:169.254.169.254]/', 'file:///etc/passwd']) {
    const { transport } = scriptedTransport({ 'https://redirector.test/a': { status: 301, location } });
    await assertRefused(
      safeFetch('https://redirector.test/a', {}, { allowPrivate: false, lookup: seamLookup, transport }),
      /redirect 1 .*refused: .*(link-local|http or https)/,
    );
  }
});

test('a public redirect chain is followed; 303 turns POST into GET; credentials stay on their origin', async () => {
  const { calls, transport } = scriptedTransport({
    'https://redirector.test/upload': { status: 303, location: '/status' },
    'https://redirector.test/status': { status: 307, location: 'https://cdn.test/file.mp4' },
    'https://cdn.test/file.mp4': { status: 200, body: 'media' },
  });
  const response = await safeFetch(
    'https://redirector.test/upload',
    { method: 'POST', body: 'x=1', headers: { authorization: 'Bearer secret', 'content-type': 'text/plain' } },
    { allowPrivate: false, lookup: seamLookup, transport },
  );
  assert.equal(await response.text(), 'media');
  assert.equal(response.url, 'https://cdn.test/file.mp4');
  assert.deepEqual(
    calls.map((c) => [c.method, c.url.href, c.body, c.headers.get('authorization')]),
    [
      ['POST', 'https://redirector.test/upload', 'x=1', 'Bearer secret'],
      ['GET', 'https://redirector.test/status', null, 'Bearer secret'],
      ['GET', 'https://cdn.test/file.mp4', null, null],
    ],
  );
  assert.deepEqual(calls[2]!.addresses, [{ address: '151.101.1.1', family: 4 }]);
});
