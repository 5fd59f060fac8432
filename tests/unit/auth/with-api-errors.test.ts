import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toHttpError } from '@/src/server/auth/with-api';
import { DomainError } from '@/src/server/errors';
import { IntegrationError } from '@/src/server/integrations/errors';

test('an external service failure no route converted is a 502 naming the service, with Retry-After when it asked to wait', async () => {
  const failed = toHttpError(new IntegrationError({ provider: 'coupang', operation: 'search', status: 503, retryable: true, retryAfterMs: 30_000 }, 'coupang search failed with HTTP 503'));
  assert.equal(failed.status, 502);
  assert.equal(failed.headers.get('retry-after'), '30');
  assert.deepEqual(await failed.json(), { error: { code: 'upstream_failed', message: 'coupang failed: coupang search failed with HTTP 503' } });
  const plain = toHttpError(new IntegrationError({ provider: 'sheets', operation: 'read', status: 500, retryable: true }, 'sheets read failed with HTTP 500'));
  assert.equal(plain.status, 502);
  assert.equal(plain.headers.get('retry-after'), null);
});

test('domain errors keep their status and unknown errors stay a bare 500', async () => {
  assert.equal(toHttpError(new DomainError('not_found', 'video 1 not found')).status, 404);
  const unknown = toHttpError(new Error('boom at /srv/app/secret/path'));
  assert.equal(unknown.status, 500);
  assert.deepEqual(await unknown.json(), { error: { code: 'internal', message: 'Internal error; see the server log.' } });
});
