import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientIpFromHeaders, resolveClientIp } from '@/src/server/auth/client-ip';

test('without trusted proxies the socket address is the client, whatever X-Forwarded-For says', () => {
  assert.equal(resolveClientIp({ socketAddress: '::ffff:203.0.113.9', forwardedFor: '1.2.3.4', trustedHops: 0 }), '203.0.113.9');
  assert.equal(resolveClientIp({ socketAddress: '::1', forwardedFor: undefined, trustedHops: 0 }), '::1');
});

test('with n trusted proxies the address the outermost one saw is the client; entries to its left may be forged', () => {
  // client 198.51.100.5 sends a forged "1.2.3.4"; our one proxy (10.0.0.2, the socket) appends what it saw
  assert.equal(resolveClientIp({ socketAddress: '10.0.0.2', forwardedFor: '1.2.3.4, 198.51.100.5', trustedHops: 1 }), '198.51.100.5');
  assert.equal(resolveClientIp({ socketAddress: '10.0.0.3', forwardedFor: ['1.2.3.4, 198.51.100.5', '10.0.0.2'], trustedHops: 2 }), '198.51.100.5');
  // fewer entries than trusted hops: the leftmost real one; garbage entries are dropped
  assert.equal(resolveClientIp({ socketAddress: '10.0.0.2', forwardedFor: 'not-an-ip', trustedHops: 3 }), '10.0.0.2');
});

test('server code reads the resolved address; anything else is "unknown"', () => {
  const h = (v: string | null) => ({ get: () => v });
  assert.equal(clientIpFromHeaders(h('198.51.100.5')), '198.51.100.5');
  assert.equal(clientIpFromHeaders(h(null)), 'unknown');
  assert.equal(clientIpFromHeaders(h('<script>')), 'unknown');
});
