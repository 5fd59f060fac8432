import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { startCoupangFake, type CoupangFake } from '../fakes/coupang/server';

/** Monetization against the fake Coupang Partners API: signature, match + deeplink, no match, quota, cache, 401. */
let db: { url: string; drop(): Promise<void> };
let coupang: CoupangFake;
let dataDir: string;
const keys = { accessKey: 'test-access-key', secretKey: 'test-secret-key' };

type Db = typeof import('@/src/server/db');
let D: Db;
let M: typeof import('@/src/server/monetization');
let S: typeof import('@/src/server/candidates/pipeline/score-and-route');

before(async () => {
  db = await createTestDatabase('pcou');
  coupang = await startCoupangFake(keys);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-coupang-'));
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    COUPANG_ACCESS_KEY: keys.accessKey,
    COUPANG_SECRET_KEY: keys.secretKey,
    COUPANG_BASE_URL: coupang.url,
    COUPANG_SEARCH_PER_HOUR: '4',
    COUPANG_AUTO_SEARCH_MIN_SCORE: '60',
  });
  delete process.env.GEMINI_API_KEY;
  (await import('@/src/server/config')).resetConfig();
  (await import('@/src/server/integrations/policy')).configureProvider('coupang', { backoffInitialMs: 50, backoffMaxMs: 200 });
  D = await import('@/src/server/db');
  await D.startDatabase();
  await (await import('@/src/server/queue')).startQueue();
  M = await import('@/src/server/monetization');
  S = await import('@/src/server/candidates/pipeline/score-and-route');
});

after(async () => {
  await (await import('@/src/server/queue')).stopQueue();
  await D?.stopDatabase();
  await coupang?.close();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(async () => {
  // each test starts with an empty search ledger and cache
  await D.getDb().delete(D.schema.apiUsage);
  await D.getDb().delete(D.schema.coupangCache);
});

const speech = '제가 요즘 진짜 잘 쓰는 게 있는데 라운드랩 독도 토너예요. 피부가 진짜 촉촉해져요. 강력 추천합니다. 매일 써요.';

async function candidate(name: string, score = 80) {
  const { schema, getDb } = D;
  const [v] = await getDb().insert(schema.videos).values({ sourceKind: 'upload', uploadHash: crypto.randomBytes(12).toString('hex'), title: '브이로그', stage: 'monetize' }).returning();
  const [c] = await getDb()
    .insert(schema.candidates)
    .values({
      videoId: v.id,
      productKey: crypto.randomBytes(6).toString('hex'),
      productNameAi: name,
      clipStartTime: 19,
      clipEndTime: 29,
      scoreTotal: score,
      endorsementType: '명시적 추천',
      coupangSearchStatus: 'pending',
      evidence: { transcriptSpan: [{ start: 21, end: 26, text: speech }], frameTimestamps: [], ocrLines: [], detections: [], cropPath: null, framePaths: [], otherWindows: [] },
    })
    .returning();
  return c;
}

const read = async (id: number) => (await D.getDb().select().from(D.schema.candidates).where(eq(D.schema.candidates.id, id)))[0];

test('a match gets coupang_url_ai from the signed deeplink call with a per-candidate subId', async () => {
  const c = await candidate('라운드랩 독도 토너');
  coupang.setProducts(M.normalizeKeyword('라운드랩 독도 토너'), [
    { productName: '마녀공장 퓨어 클렌징 오일 200ml', productId: 901 },
    { productName: '라운드랩 1025 독도 토너, 200ml, 1개', productId: 902, productPrice: 15900 },
  ]);
  const before = coupang.searchCount();
  assert.deepEqual(await M.monetizeCandidate(c.id), { status: 'matched' });
  assert.equal(coupang.searchCount() - before, 1);
  const after = await read(c.id);
  assert.equal(after.coupangSearchStatus, 'matched');
  assert.equal(after.isCoupangProduct, true);
  const link = coupang.deeplinks.at(-1)!;
  assert.equal(after.coupangUrlAi, link.shortenUrl);
  assert.equal(link.subId, `cand${c.id}`);
  assert.match(link.originalUrl, /coupang\.com\/vp\/products\/902/);
  assert.equal(after.coupangProduct?.name, '라운드랩 1025 독도 토너, 200ml, 1개');
  assert.equal(after.coupangProduct?.price, 15900);
  // every request carried a signature the fake accepted (a bad one is a 401)
  assert.ok(coupang.requests.every((r) => /^CEA algorithm=HmacSHA256, access-key=test-access-key, signed-date=\d{6}T\d{6}Z, signature=[0-9a-f]{64}$/.test(String(r.headers.authorization))));
  const routed = await S.scoreAndRouteCandidate(c.id);
  assert.notEqual(routed?.status, 'filtered_no_coupang');
  const usage = await D.getDb().select().from(D.schema.apiUsage).where(eq(D.schema.apiUsage.provider, 'coupang'));
  assert.deepEqual(usage.map((u) => u.operation).sort(), ['deeplink', 'search', 'search_slot']);

  // the same keyword again: served from the 24 h cache, no second search
  const twin = await candidate('라운드랩 독도 토너');
  assert.deepEqual(await M.monetizeCandidate(twin.id), { status: 'matched' });
  assert.equal(coupang.searchCount() - before, 1);
});

test('no match → filtered_no_coupang', async () => {
  const c = await candidate('아비브 어성초 패드');
  coupang.setProducts(M.normalizeKeyword('아비브 어성초 패드'), [{ productName: '삼성전자 갤럭시북4 노트북' }]);
  assert.deepEqual(await M.monetizeCandidate(c.id), { status: 'no_match' });
  assert.equal((await read(c.id)).coupangSearchStatus, 'no_match');
  assert.equal((await S.scoreAndRouteCandidate(c.id))?.status, 'filtered_no_coupang');
});

test('a quota error postpones the search to the next hour; nothing is lost', async () => {
  const c = await candidate('토리든 다이브인 세럼');
  coupang.setProducts(M.normalizeKeyword('토리든 다이브인 세럼'), [{ productName: '토리든 다이브인 저분자 히알루론산 세럼 50ml', productId: 555 }]);
  coupang.quotaExceededNext();
  const r = await M.monetizeCandidate(c.id);
  assert.equal(r.status, 'postponed');
  assert.ok(r.status === 'postponed' && r.retryAt.getTime() - Date.now() > 55 * 60_000);
  assert.equal((await read(c.id)).coupangSearchStatus, 'deferred');

  // the worker schedules the search again for then (pg-boss startAfter)
  const worker = (await import('@/src/workers/candidate-monetize')).default;
  coupang.quotaExceededNext();
  await worker.run({ candidateId: String(c.id) }, { jobId: 'test', attempt: 1, isFinalAttempt: false });
  const jobs = await D.getDb().execute(
    sql`select start_after from pgboss.job where name = 'candidate.monetize' and state = 'created' and data->>'candidateId' = ${String(c.id)}`,
  );
  assert.equal(jobs.rows.length, 1);
  assert.ok(new Date(jobs.rows[0].start_after as string).getTime() - Date.now() > 55 * 60_000);

  // when it runs, the search happens and the candidate is matched
  assert.deepEqual(await M.monetizeCandidate(c.id), { status: 'matched' });
});

test('the hourly ledger stops searches before Coupang is called, across callers', async () => {
  const limit = 4;
  for (let i = 0; i < limit; i++) assert.deepEqual(await M.takeSearchSlot({ videoId: 1, candidateId: 1 }), { ok: true });
  const c = await candidate('이니스프리 그린티 세럼');
  const before = coupang.searchCount();
  const r = await M.monetizeCandidate(c.id);
  assert.equal(r.status, 'postponed');
  assert.equal(coupang.searchCount(), before, 'no call over the quota');
  const slots = await D.getDb().select().from(D.schema.apiUsage).where(and(eq(D.schema.apiUsage.provider, 'coupang'), eq(D.schema.apiUsage.operation, 'search_slot')));
  assert.equal(slots.length, limit);
});

test('below the score threshold the search is deferred (on demand only); 401 is never retried', async () => {
  const low = await candidate('닥터지 선크림', 30);
  const before = coupang.searchCount();
  assert.equal((await M.monetizeCandidate(low.id)).status, 'deferred');
  assert.equal(coupang.searchCount(), before);

  const c = await candidate('닥터지 그린 마일드 선크림', 90);
  coupang.failNext(401, undefined, undefined, 'search');
  await assert.rejects(M.monetizeCandidate(c.id), /HTTP 401/);
  assert.equal(coupang.searchCount() - before, 1, 'one call, no retry');
});

test('on demand (console/API): a deferred low-score candidate is searched anyway; unknown ids are 404', async () => {
  const c = await candidate('아누아 어성초 토너', 20);
  assert.equal((await M.monetizeCandidate(c.id)).status, 'deferred');
  coupang.setProducts(M.normalizeKeyword('아누아 어성초 토너'), [{ productName: '아누아 어성초 77 수딩 토너 250ml', productId: 777 }]);
  assert.deepEqual(await M.requestCoupangSearch(String(c.id)), { status: 'matched' });
  assert.equal((await read(c.id)).coupangSearchStatus, 'matched');
  await assert.rejects(M.requestCoupangSearch('999999'), (e: { code?: string }) => e.code === 'not_found');
  await assert.rejects(M.requestCoupangSearch('abc'), (e: { code?: string }) => e.code === 'not_found');
});
