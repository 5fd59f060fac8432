import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { startCoupangFake, type CoupangFake } from '../fakes';
import { resetConfig } from '@/src/server/config';
import { getDb, startDatabase, stopDatabase } from '@/src/server/db';
import { attachCoupangLink, listCandidates } from '@/src/server/candidates';
import { seedDemo } from '@/src/demo/seed-candidates';
import { listCandidatesQuery } from '@/src/server/candidates/schemas';

/** With Coupang keys, a pasted product URL becomes a Partners deep link (subId per candidate); failures say so. */
let db: { url: string; drop(): Promise<void> };
let coupang: CoupangFake;
const who = { userId: null, actor: 'test@example.com' };

before(async () => {
  db = await createTestDatabase('cdeep');
  coupang = await startCoupangFake({ accessKey: 'ak-test', secretKey: 'sk-test' });
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'ii-cdeep-')),
    COUPANG_ACCESS_KEY: 'ak-test',
    COUPANG_SECRET_KEY: 'sk-test',
    COUPANG_BASE_URL: coupang.url,
  });
  resetConfig();
  await startDatabase();
  await seedDemo(getDb(), { count: 60 });
});
after(async () => {
  await stopDatabase();
  await coupang?.close();
  await db?.drop();
  for (const k of ['COUPANG_ACCESS_KEY', 'COUPANG_SECRET_KEY', 'COUPANG_BASE_URL']) delete process.env[k];
});

const filtered = async (i: number) =>
  (await listCandidates(listCandidatesQuery.parse({ tab: 'filtered_no_coupang', limit: '5' }))).items[i];

test('a pasted product URL becomes the deep link, with the candidate as subId and one api_usage row', async () => {
  const c = await filtered(0);
  const r = await attachCoupangLink(c.id, { url: 'https://www.coupang.com/vp/products/123456' }, who);
  assert.equal(r.deepLink, 'created');
  assert.equal(coupang.deeplinkCount(), 1);
  assert.equal(coupang.deeplinks[0].originalUrl, 'https://www.coupang.com/vp/products/123456');
  assert.equal(coupang.deeplinks[0].subId, `c${c.id}`);
  assert.equal(r.candidate.monetization_info.coupang_url_manual, coupang.deeplinks[0].shortenUrl);
  assert.equal(r.candidate.status_info.current_status, 'needs_review');
  const usage = await getDb().execute(sql`SELECT count(*)::int AS n FROM api_usage WHERE provider = 'coupang'`);
  assert.ok(Number((usage.rows[0] as { n: number }).n) >= 1);
});

test('when the deep link fails, the pasted URL is stored and the answer says why', async () => {
  const c = await filtered(0);
  coupang.failNext(400, { code: 'ERROR', message: 'Invalid URL' }, {}, 'deeplink');
  const r = await attachCoupangLink(c.id, { url: 'https://www.coupang.com/vp/products/999' }, who);
  assert.equal(r.deepLink, 'failed');
  assert.match(r.message, /링크를 만들지 못해/);
  assert.equal(r.candidate.monetization_info.coupang_url_manual, 'https://www.coupang.com/vp/products/999');
  assert.equal(r.candidate.status_info.current_status, 'needs_review');
});
