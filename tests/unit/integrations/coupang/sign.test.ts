import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '@/src/server/errors';
import { formatSignedDate, signCoupangRequest } from '@/src/server/integrations/coupang/sign';

const sharedDir = process.env.SHARED_DIR ?? path.resolve(process.cwd(), '../shared');

interface Vectors {
  accessKey: string;
  secretKey: string;
  signedDate: string;
  vectors: { name: string; method: string; url: string; path: string; query: string; signature: string; authorization: string }[];
}
const vectors = JSON.parse(
  fs.readFileSync(path.join(sharedDir, 'contracts/coupang/signature-test-vectors.json'), 'utf8'),
) as Vectors;

const VECTOR_DATE = new Date('2025-01-01T00:00:00Z');

test('the contract has vectors to check', () => {
  assert.ok(vectors.vectors.length >= 3);
  assert.equal(formatSignedDate(VECTOR_DATE), vectors.signedDate);
});

for (const vector of vectors.vectors) {
  test(`matches the contract vector: ${vector.name}`, () => {
    const signed = signCoupangRequest({
      method: vector.method,
      path: vector.path,
      query: vector.query,
      accessKey: vectors.accessKey,
      secretKey: vectors.secretKey,
      date: VECTOR_DATE,
    });
    assert.equal(signed.signedDate, vectors.signedDate);
    assert.equal(signed.authorization, vector.authorization);
    assert.ok(signed.authorization.endsWith(`signature=${vector.signature}`));
  });

  test(`path and query taken from the URL as sent reproduce: ${vector.name}`, () => {
    const url = new URL(vector.url);
    const signed = signCoupangRequest({
      method: vector.method.toLowerCase(),
      path: url.pathname,
      query: url.search.slice(1),
      accessKey: vectors.accessKey,
      secretKey: vectors.secretKey,
      date: VECTOR_DATE,
    });
    assert.equal(signed.authorization, vector.authorization);
  });
}

test('formats the signed date in UTC with two-digit fields', () => {
  assert.equal(formatSignedDate(new Date('2031-07-04T09:05:03.999+09:00')), '310704T000503Z');
  assert.equal(formatSignedDate(new Date('2009-12-31T23:59:59Z')), '091231T235959Z');
});

test('the signature changes with the date, the query and the secret', () => {
  const base = { method: 'GET', path: '/p', query: 'a=1', accessKey: 'k', secretKey: 's', date: VECTOR_DATE };
  const reference = signCoupangRequest(base).authorization;
  assert.notEqual(signCoupangRequest({ ...base, date: new Date('2025-01-01T00:00:01Z') }).authorization, reference);
  assert.notEqual(signCoupangRequest({ ...base, query: 'a=2' }).authorization, reference);
  assert.notEqual(signCoupangRequest({ ...base, secretKey: 't' }).authorization, reference);
});

test('refuses a query with "?", a relative path and missing keys', () => {
  const base = { method: 'GET', path: '/p', accessKey: 'k', secretKey: 's', date: VECTOR_DATE };
  assert.throws(() => signCoupangRequest({ ...base, query: '?a=1' }), (e: unknown) => e instanceof DomainError && e.field === 'query');
  assert.throws(() => signCoupangRequest({ ...base, path: 'p' }), (e: unknown) => e instanceof DomainError && e.field === 'path');
  assert.throws(() => signCoupangRequest({ ...base, secretKey: '' }), (e: unknown) => e instanceof DomainError && e.code === 'not_configured');
});
