import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';
import { schema } from '@/src/server/db';
import { seedDemo } from '@/src/demo/seed-candidates';

/** The candidates API, golden export and media route over HTTP against the real server. */
const TOKEN = 'candidates-api-token-0123456789';
let server: TestServer;
let database: { url: string; drop(): Promise<void> };
let pool: pg.Pool;
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

before(async () => {
  database = await createTestDatabase('capi');
  server = await startServer({ DATABASE_URL: database.url, API_TOKEN: TOKEN, ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'long-enough-pw' });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await seedDemo(drizzle(pool, { schema, casing: 'snake_case' }), { count: 90 });
});
after(async () => {
  await pool?.end();
  await server?.stop();
  await database?.drop();
});

const get = (p: string, headers: Record<string, string> = auth) => fetch(`${server.url}${p}`, { headers });
const send = (method: string, p: string, body: unknown) => fetch(`${server.url}${p}`, { method, headers: auth, body: JSON.stringify(body) });

test('everything is behind sign-in', async () => {
  for (const p of ['/api/v1/candidates', '/api/v1/candidates/1', '/api/v1/golden.jsonl', '/api/media/1/source.mp4']) {
    const res = await get(p, {});
    assert.equal(res.status, 401, p);
  }
});

test('list: tabs, sorts, filters, counts, cursor, clamped limit and clear errors', async () => {
  const res = await get('/api/v1/candidates?tab=needs_review&sort=score&order=desc&limit=5&counts=1');
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.items.length, 5);
  assert.ok(body.nextCursor);
  assert.ok(body.counts.needs_review >= 5);
  const scores = body.items.map((c: { candidate_info: { score_details: { total: number } } }) => c.candidate_info.score_details.total);
  assert.deepEqual(scores, [...scores].sort((a: number, b: number) => b - a));
  const next = await (await get(`/api/v1/candidates?limit=5&cursor=${body.nextCursor}`)).json();
  assert.ok(next.items.every((c: { id: string }) => !body.items.some((d: { id: string }) => d.id === c.id)));
  assert.equal((await (await get('/api/v1/candidates?limit=500')).json()).items.length, Math.min(100, body.counts.needs_review));

  for (const [q, field] of [['sort=bogus', 'sort'], ['tab=nope', 'tab'], ['order=up', 'order'], ['scoreMin=-1', 'scoreMin'], ['ppl=maybe', 'ppl'], ['celebrityId=abc', 'celebrityId'], ['cursor=xyz', 'cursor']]) {
    const r = await get(`/api/v1/candidates?${q}`);
    assert.equal(r.status, 400, q);
    const e = await r.json();
    assert.equal(e.error.code, 'bad_request');
    assert.equal(e.error.field, field, q);
  }
});

test('detail, PATCH with version (409 when stale), transition (409 with reason), link (400), undo, events', async () => {
  const [c] = (await (await get('/api/v1/candidates?limit=1')).json()).items;
  assert.equal((await get(`/api/v1/candidates/${c.id}`)).status, 200);
  assert.equal((await get('/api/v1/candidates/99999999')).status, 404);

  const noVersion = await send('PATCH', `/api/v1/candidates/${c.id}`, { product_name_manual: 'x' });
  assert.equal(noVersion.status, 400);
  const unknownField = await send('PATCH', `/api/v1/candidates/${c.id}`, { version: c.version, current_status: 'approved' });
  assert.equal(unknownField.status, 400);
  const ok = await send('PATCH', `/api/v1/candidates/${c.id}`, { version: c.version, product_name_manual: '정확한 제품명' });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).candidate_info.product_name, '정확한 제품명');
  const stale = await send('PATCH', `/api/v1/candidates/${c.id}`, { version: c.version, product_name_manual: '덮어쓰기' });
  assert.equal(stale.status, 409);
  assert.match((await stale.json()).error.message, /Someone else changed/);

  const illegal = await send('POST', `/api/v1/candidates/${c.id}/transition`, { to: 'published' });
  assert.equal(illegal.status, 409);
  const ie = await illegal.json();
  assert.equal(ie.error.code, 'invalid_transition');
  assert.match(ie.error.message, /needs_review to published/);
  assert.equal((await send('POST', `/api/v1/candidates/${c.id}/transition`, { to: 'flying' })).status, 400);
  const approved = await send('POST', `/api/v1/candidates/${c.id}/transition`, { to: 'approved', note: 'API 승인' });
  assert.equal(approved.status, 200);
  assert.equal((await approved.json()).status_info.current_status, 'approved');

  const badLink = await send('POST', `/api/v1/candidates/${c.id}/link`, { url: 'https://www.naver.com/x' });
  assert.equal(badLink.status, 400);
  assert.equal((await badLink.json()).error.field, 'url');

  const undo = await send('POST', `/api/v1/candidates/${c.id}/undo`, {});
  assert.equal(undo.status, 200);
  assert.equal((await undo.json()).status_info.current_status, 'needs_review');

  const events = (await (await get(`/api/v1/candidates/${c.id}/events`)).json()).items;
  assert.deepEqual(events.map((e: { kind: string }) => e.kind), ['edit', 'transition', 'undo']);
  assert.equal(events[0].actor, 'token:API_TOKEN');

  const bulk = await send('POST', '/api/v1/candidates/bulk', { ids: [c.id], to: 'rejected', note: '중복' });
  assert.equal(bulk.status, 200);
  assert.deepEqual((await bulk.json()).results.map((r: { ok: boolean }) => r.ok), [true]);

  const golden = await get('/api/v1/golden.jsonl');
  assert.equal(golden.status, 200);
  assert.match(golden.headers.get('content-type') ?? '', /ndjson/);
  const lines = (await golden.text()).trim().split('\n').map((l) => JSON.parse(l));
  const pair = lines.find((l) => l.candidate_id === c.id && l.field === 'product_name');
  assert.deepEqual([pair.model, pair.human], [c.candidate_info.product_name_ai, '정확한 제품명']);
});

test('media route: whole file, byte ranges, 416, content types, traversal refused, download', async () => {
  const dir = path.join(server.dataDir, 'media', '77', 'crops');
  fs.mkdirSync(dir, { recursive: true });
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
  fs.writeFileSync(path.join(dir, 'w1-2000.jpg'), bytes);
  fs.writeFileSync(path.join(server.dataDir, 'secret.txt'), 'secret');
  fs.symlinkSync(path.join(server.dataDir, 'secret.txt'), path.join(dir, 'link.jpg'));

  const whole = await get('/api/media/77/crops/w1-2000.jpg');
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('content-type'), 'image/jpeg');
  assert.equal(whole.headers.get('accept-ranges'), 'bytes');
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), bytes);

  const part = await get('/api/media/77/crops/w1-2000.jpg', { ...auth, range: 'bytes=10-19' });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), 'bytes 10-19/1000');
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(10, 20));
  const tail = await get('/api/media/77/crops/w1-2000.jpg', { ...auth, range: 'bytes=-5' });
  assert.equal(tail.status, 206);
  assert.deepEqual(Buffer.from(await tail.arrayBuffer()), bytes.subarray(995));
  const open = await get('/api/media/77/crops/w1-2000.jpg', { ...auth, range: 'bytes=990-' });
  assert.equal(open.headers.get('content-range'), 'bytes 990-999/1000');
  const beyond = await get('/api/media/77/crops/w1-2000.jpg', { ...auth, range: 'bytes=5000-' });
  assert.equal(beyond.status, 416);
  assert.equal(beyond.headers.get('content-range'), 'bytes */1000');

  const dl = await get('/api/media/77/crops/w1-2000.jpg?download=1');
  assert.match(dl.headers.get('content-disposition') ?? '', /attachment; filename="w1-2000.jpg"/);
  await dl.arrayBuffer();

  assert.equal((await get('/api/media/77/crops/missing.jpg')).status, 404);
  assert.equal((await get('/api/media/77')).status, 404);
  for (const p of ['/api/media/..%2Fsecret.txt', '/api/media/77/..%2F..%2Fsecret.txt', '/api/media/77/crops/link.jpg']) {
    const r = await get(p);
    assert.ok(r.status === 403 || r.status === 400 || r.status === 404, `${p} → ${r.status}`);
    assert.notEqual(await r.text(), 'secret');
  }
});
