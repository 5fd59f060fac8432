import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readContractJson } from '../../fakes/http';
import { coupangAuthorization, coupangMessage, coupangSignature, coupangSignedDate, parseCoupangSignedDate, verifyCoupangRequest } from '../../fakes/coupang/signature';
import { startCoupangFake, COUPANG_SEARCH_PATH, COUPANG_DEEPLINK_PATH, type CoupangFake } from '../../fakes/coupang/server';

interface Vectors {
  accessKey: string;
  secretKey: string;
  signedDate: string;
  vectors: { name: string; method: string; url: string; path: string; query: string; message: string; signature: string; authorization: string }[];
}
const V = readContractJson<Vectors>('coupang/signature-test-vectors.json');
const keys = { accessKey: V.accessKey, secretKey: V.secretKey };

test('signer reproduces every contract test vector', () => {
  assert.ok(V.vectors.length >= 3);
  assert.equal(coupangSignedDate(new Date('2025-01-01T00:00:00Z')), V.signedDate);
  assert.equal(parseCoupangSignedDate(V.signedDate)!.toISOString(), '2025-01-01T00:00:00.000Z');
  for (const v of V.vectors) {
    const u = new URL(v.url);
    assert.equal(u.pathname, v.path, v.name);
    assert.equal(u.search.replace(/^\?/, ''), v.query, v.name);
    assert.equal(coupangMessage(V.signedDate, v.method, v.path, v.query), v.message, v.name);
    assert.equal(coupangSignature(V.secretKey, V.signedDate, v.method, v.path, v.query), v.signature, v.name);
    assert.equal(coupangAuthorization({ ...keys, method: v.method, path: v.path, query: v.query, signedDate: V.signedDate }), v.authorization, v.name);
    const at = new Date('2025-01-01T00:01:00Z');
    assert.deepEqual(verifyCoupangRequest(v.authorization, { method: v.method, path: v.path, query: v.query }, keys, at), { ok: true }, v.name);
    assert.deepEqual(verifyCoupangRequest(v.authorization, { method: v.method, path: v.path, query: v.query + 'x' }, keys, at), { ok: false, reason: 'signature' }, v.name);
  }
  const v0 = V.vectors[0];
  assert.deepEqual(verifyCoupangRequest(v0.authorization, v0, keys, new Date('2025-01-01T01:00:00Z')), { ok: false, reason: 'expired' });
});

let fake: CoupangFake;
before(async () => {
  fake = await startCoupangFake({ ...keys });
});
after(async () => {
  await fake.close();
});

async function call(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown, auth?: string) {
  const [p, q = ''] = pathAndQuery.split('?');
  const authorization = auth ?? coupangAuthorization({ ...keys, method, path: p, query: q });
  const res = await fetch(fake.url + pathAndQuery, { method, headers: { authorization, 'content-type': 'application/json;charset=UTF-8' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}

test('signed search returns the registered products; counts searches', async () => {
  fake.setProducts('무선 이어폰', [
    { productName: '삼성 갤럭시 버즈3', productPrice: 159000, isRocket: true },
    { productName: 'QCY T13', productPrice: 19900 },
    { productName: '소니 WF-1000XM5', productPrice: 299000 },
  ]);
  const before = fake.searchCount();
  const r = await call('GET', `${COUPANG_SEARCH_PATH}?keyword=${encodeURIComponent('무선 이어폰')}&limit=2&subId=channel01`);
  assert.equal(r.status, 200);
  assert.equal(r.json.rCode, '0');
  assert.equal(r.json.data.productData.length, 2);
  assert.deepEqual(r.json.data.productData.map((p: any) => [p.rank, p.productName, p.productPrice, p.keyword]), [
    [1, '삼성 갤럭시 버즈3', 159000, '무선 이어폰'],
    [2, 'QCY T13', 19900, '무선 이어폰'],
  ]);
  assert.equal(r.json.data.productData[0].isRocket, true);
  assert.match(r.json.data.productData[0].productUrl, /^https:\/\/link\.coupang\.com\/re\/AFFSDP\?.*subid=channel01/);
  assert.equal(fake.searchCount() - before, 1);
  const none = await call('GET', `${COUPANG_SEARCH_PATH}?keyword=${encodeURIComponent('없는상품')}&limit=5`);
  assert.deepEqual(none.json.data.productData, []);
});

test('bad signatures get HTTP 401 with the contract body', async () => {
  const q = `keyword=${encodeURIComponent('노트북')}&limit=10`;
  // signed for a different query than the one sent
  const wrong = coupangAuthorization({ ...keys, method: 'GET', path: COUPANG_SEARCH_PATH, query: 'keyword=x&limit=10' });
  const r1 = await call('GET', `${COUPANG_SEARCH_PATH}?${q}`, undefined, wrong);
  assert.equal(r1.status, 401);
  assert.equal(r1.json.message, 'Invalid signature.');
  // signed with the wrong secret
  const r2 = await call('GET', `${COUPANG_SEARCH_PATH}?${q}`, undefined, coupangAuthorization({ accessKey: keys.accessKey, secretKey: 'nope', method: 'GET', path: COUPANG_SEARCH_PATH, query: q }));
  assert.equal(r2.status, 401);
  // '+' for space on the wire while the signature covered %20
  const signed = coupangAuthorization({ ...keys, method: 'GET', path: COUPANG_SEARCH_PATH, query: 'keyword=a%20b' });
  assert.equal((await call('GET', `${COUPANG_SEARCH_PATH}?keyword=a+b`, undefined, signed)).status, 401);
  // missing header
  const r3 = await fetch(`${fake.url}${COUPANG_SEARCH_PATH}?${q}`);
  assert.equal(r3.status, 401);
  // stale signed-date (the vector's 2025 date) → expired
  const v0 = V.vectors[0];
  const r4 = await call('GET', `${v0.path}?${v0.query}`, undefined, v0.authorization);
  assert.equal(r4.status, 401);
  assert.equal(r4.json.message, 'Specified signature is expired.');
});

test('deeplink returns shortenUrl/landingUrl per contract; body is not signed', async () => {
  const urls = ['https://www.coupang.com/vp/products/7654321012?itemId=20000000001&vendorItemId=80000000001', 'https://www.coupang.com/np/search?component=&q=%EB%85%B8%ED%8A%B8%EB%B6%81'];
  const r = await call('POST', COUPANG_DEEPLINK_PATH, { coupangUrls: urls, subId: 'channel01' });
  assert.equal(r.status, 200);
  assert.equal(r.json.rCode, '0');
  assert.equal(r.json.data.length, 2);
  assert.equal(r.json.data[0].originalUrl, urls[0]);
  assert.match(r.json.data[0].shortenUrl, /^https:\/\/link\.coupang\.com\/a\/[A-Za-z0-9]{6}$/);
  assert.match(r.json.data[0].landingUrl, /AFFSDP\?lptag=AF1234567&subid=channel01&pageKey=7654321012&itemId=20000000001&vendorItemId=80000000001&traceid=/);
  assert.match(r.json.data[1].landingUrl, /AFFSRP\?.*pageKey=%EB%85%B8%ED%8A%B8%EB%B6%81/);
  assert.notEqual(r.json.data[0].shortenUrl, r.json.data[1].shortenUrl);
  assert.equal(fake.deeplinks.length, 2);
  const bad = await call('POST', COUPANG_DEEPLINK_PATH, { coupangUrls: ['https://example.com/x'] });
  assert.equal(bad.json.rCode, '400');
});

test('quota (rCode 403 on HTTP 200), 429 gateway, 401 expired injection, searchLimit', async () => {
  const path = `${COUPANG_SEARCH_PATH}?keyword=${encodeURIComponent('노트북')}&limit=10`;
  fake.quotaExceededNext();
  const q = await call('GET', path);
  assert.equal(q.status, 200);
  assert.equal(q.json.rCode, '403');
  assert.equal(q.json.data, null);
  fake.rateLimitNext();
  assert.equal((await call('GET', path)).status, 429);
  fake.expiredNext('deeplink');
  assert.equal((await call('GET', path)).status, 200, 'deeplink-only override not consumed by search');
  const e = await call('POST', COUPANG_DEEPLINK_PATH, { coupangUrls: ['https://www.coupang.com/vp/products/1'] });
  assert.equal(e.status, 401);
  assert.equal(e.json.message, 'Specified signature is expired.');

  const limited = await startCoupangFake({ ...keys, searchLimit: 1 });
  try {
    const sign = (pq: string) => coupangAuthorization({ ...keys, method: 'GET', path: COUPANG_SEARCH_PATH, query: pq.split('?')[1] });
    const get = async () => (await (await fetch(limited.url + path, { headers: { authorization: sign(path) } })).json()) as any;
    assert.equal((await get()).rCode, '0');
    assert.equal((await get()).rCode, '403');
    assert.equal(limited.searchCount(), 2);
  } finally {
    await limited.close();
  }
});
