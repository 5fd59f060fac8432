/**
 * `npm run bench:candidates` → seeds 100,000 demo candidates into a fresh database and prints p50/p95 (ms) of the
 * candidate list service (the same call GET /api/v1/candidates makes: keyset page + full records) for every sort
 * and order, every filter, a deep page, and the per-tab counts. Target: p95 < 50 ms.
 *
 * Database: a new database on the server of BENCH_DATABASE_URL / TEST_DATABASE_URL / DATABASE_URL, dropped at the
 * end (--keep keeps it); with none set, an embedded Postgres in a temporary folder. --count N changes the size.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { resetConfig } from '@/src/server/config';
import { getDb, startDatabase, stopDatabase } from '@/src/server/db';
import { startEmbeddedPostgres } from '@/src/server/db/embedded';
import { countCandidatesByTab, listCandidates } from '@/src/server/candidates';
import { clearDemo, seedDemo } from '@/src/demo/seed-candidates';
import { candidateSorts, listCandidatesQuery } from '@/src/server/candidates/schemas';
import { machineLoad } from './lib/database';
import { reportFigures } from './lib/report';

process.env.LOG_LEVEL ??= 'warn';
const argv = process.argv.slice(2);
const countAt = argv.indexOf('--count');
const COUNT = countAt >= 0 ? Number(argv[countAt + 1]) : 100_000;
const RUNS = 40;

let adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
let stopEmbedded: (() => Promise<void>) | undefined;
if (!adminUrl) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-bench-pg-'));
  const e = await startEmbeddedPostgres({ dataDir: dir, port: 54391 });
  adminUrl = e.url;
  stopEmbedded = async () => {
    await e.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
const name = `bench_candidates_${crypto.randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`);
const u = new URL(adminUrl);
u.pathname = `/${name}`;
process.env.DATABASE_URL = u.toString();
process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'ii-bench-data-'));
resetConfig();

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function measure(label: string, fn: () => Promise<unknown>): Promise<string[]> {
  for (let i = 0; i < 3; i++) await fn(); // warm
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const p95 = pct(times, 95);
  return [label, pct(times, 50).toFixed(1), p95.toFixed(1), p95 < 50 ? 'ok' : 'SLOW'];
}

try {
  await startDatabase();
  const db = getDb();
  const t0 = Date.now();
  const seeded = await seedDemo(db, { count: COUNT, chunk: 2000 });
  await db.execute(sql`VACUUM ANALYZE candidates`);
  await db.execute(sql`VACUUM ANALYZE videos`);
  const [{ n }] = (await db.execute(sql`SELECT count(*)::int AS n FROM candidates`)).rows as { n: number }[];
  console.log(`seeded ${seeded.candidates} candidates on ${seeded.videos} videos in ${((Date.now() - t0) / 1000).toFixed(1)} s (table: ${n} rows); ${RUNS} runs each, page of 50`);
  const [sample] = (await listCandidates(listCandidatesQuery.parse({ limit: '1' }))).items;
  const rows: string[][] = [];
  const list = (params: Record<string, string>) => () => listCandidates(listCandidatesQuery.parse({ limit: '50', ...params }));
  for (const sort of candidateSorts) {
    for (const order of ['desc', 'asc']) rows.push(await measure(`needs_review sort=${sort} ${order}`, list({ sort, order })));
  }
  rows.push(await measure('rejected (rejected+archived) sort=score desc', list({ tab: 'rejected' })));
  rows.push(await measure('rejected sort=upload_date asc', list({ tab: 'rejected', sort: 'upload_date', order: 'asc' })));
  const filters: [string, Record<string, string>][] = [
    ['q=토너 (2 characters)', { q: '토너' }],
    ['q=크림 (2 characters)', { q: '크림' }],
    ['q=라운드랩 독도 (trigram)', { q: '라운드랩 독도' }],
    ['q=VLOG (trigram)', { q: 'VLOG' }],
    ['category=뷰티', { category: '뷰티' }],
    ['category=뷰티 > 스킨케어 > 토너', { category: '뷰티 > 스킨케어 > 토너' }],
    ['celebrityId', { celebrityId: sample.source_info.celebrity_id! }],
    ['channelId', { channelId: sample.source_info.channel_id! }],
    ['videoId', { videoId: sample.videoId }],
    ['scoreMin=40 scoreMax=60', { scoreMin: '40', scoreMax: '60' }],
    ['scoreMin=95', { scoreMin: '95' }],
    ['ppl=yes', { ppl: 'yes' }],
    ['method=llm', { method: 'llm' }],
    ['celebrityId + sort=channel asc', { celebrityId: sample.source_info.celebrity_id!, sort: 'channel', order: 'asc' }],
    ['q=토너 + sort=created desc', { q: '토너', sort: 'created' }],
    ['q=크림 + sort=upload_date asc', { q: '크림', sort: 'upload_date', order: 'asc' }],
    ['q=크림 tab=under_revision', { q: '크림', tab: 'under_revision' }],
    ['q=립밤 (2 characters, no row)', { q: '립밤' }],
    ['q=일상 (2 characters, 70% of rows)', { q: '일상' }],
  ];
  for (const [label, params] of filters) rows.push(await measure(`needs_review ${label}`, list(params)));
  // A deep page: follow the cursor 40 pages in, then time the next page.
  let cursor: string | null = null;
  for (let i = 0; i < 40; i++) cursor = (await listCandidates(listCandidatesQuery.parse({ limit: '50', ...(cursor ? { cursor } : {}) }))).nextCursor;
  rows.push(await measure('needs_review sort=score page 41 (cursor)', list(cursor ? { cursor } : {})));
  rows.push(await measure('counts per tab (no filter)', () => countCandidatesByTab({})));
  rows.push(await measure('counts per tab (q=토너)', () => countCandidatesByTab({ q: '토너' })));
  rows.push(await measure('counts per tab (q=크림)', () => countCandidatesByTab({ q: '크림' })));
  rows.push(await measure('counts per tab (q=일상, 70% of rows)', () => countCandidatesByTab({ q: '일상' })));
  rows.push(await measure('counts per tab (q=크림 ppl=yes)', () => countCandidatesByTab({ q: '크림', ppl: 'yes' })));
  rows.push(await measure('first page + counts (counts=1)', list({ counts: '1' })));
  rows.push(await measure('first page + counts (counts=1 q=크림)', list({ counts: '1', q: '크림' })));

  console.log(`\n## Candidate list at ${n.toLocaleString('en')} rows, idle (p50 / p95 of ${RUNS} runs, page of 50; ${machineLoad()})\n`);
  console.log('| case | p50 ms | p95 ms | p95 < 50 ms |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r[0]} | ${r[1]} | ${r[2]} | ${r[3] === 'ok' ? 'yes' : '**no**'} |`);
  const slow = rows.filter((r) => r[3] !== 'ok').length;
  console.log(`\n${slow ? `${slow} case(s) above 50 ms p95` : 'all cases p95 < 50 ms'}`);
  const slowest = rows.reduce((a, r) => (Number(r[2]) > Number(a[2]) ? r : a));
  reportFigures('candidates', [{ name: `list p95, slowest of ${rows.length} cases (${slowest[0]}) at ${n.toLocaleString('en')} rows`, value: Number(slowest[2]), unit: 'ms', target: { op: '<=', value: 50 } }]);
  if (argv.includes('--clear-after')) await clearDemo(db);
} finally {
  await stopDatabase();
  if (!argv.includes('--keep')) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  else console.log(`kept database ${name}`);
  await admin.end();
  await stopEmbedded?.();
}
