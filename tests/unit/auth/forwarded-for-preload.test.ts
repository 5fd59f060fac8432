import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';

// What the container image preloads before Next's standalone server.js (see scripts/docker/forwarded-for.ts).
// How TRUST_PROXY_HOPS picks an entry is client-ip.test.ts's subject; this checks the wrapping itself.
async function seenBy(forwardedFor: string): Promise<string> {
  delete process.env.TRUST_PROXY_HOPS;
  await import('@/scripts/docker/forwarded-for');
  const server = http.createServer((req, res) => res.end(String(req.headers['x-forwarded-for'])));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers: { 'x-forwarded-for': forwardedFor } });
    return await res.text();
  } finally {
    server.close();
  }
}

test("in the container a client's own X-Forwarded-For is replaced by the socket's address before the server sees it", async () => {
  assert.equal(await seenBy('203.0.113.9'), '127.0.0.1');
});
