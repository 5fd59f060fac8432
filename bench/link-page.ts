/**
 * `npm run bench:linkpage` → the public link-in-bio page at 1,000 published products (issue 16), over HTTP against the
 * real built app (`scripts/start.ts`, as `npm start` runs it; it builds first when the sources changed). Seeds demo
 * candidates (--rows, default 20,000) and publishes --published of them (default 1,000) with short links and crops,
 * then times, one request at a time (p50 / p95 of --runs, default 200, after warm-up):
 *   GET /l (first page, and a deep page), GET /l/<celebrity>, GET /l right after a publish (the snapshot reloads),
 *   GET /l/p/<slug> (302 + click counted), GET /l/p/<slug>/image (the crop);
 * and GET /l with 8 clients at once. Target: p95 ≤ 50 ms for the page.
 *
 * Database: a new database on the server of BENCH_DATABASE_URL / TEST_DATABASE_URL / DATABASE_URL (an embedded one
 * when none is set), dropped at the end.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import sharp from 'sharp';
import { schema } from '@/src/server/db';
import { seedDemo } from '@/src/demo/seed-candidates';
import { makeSlug } from '@/src/server/link-in-bio/slug';
import { startServer, type TestServer } from '../tests/helpers/server';
import { benchDatabase, machineLoad } from './lib/database';
import { reportFigures } from './lib/report';

process.env.LOG_LEVEL ??= 'warn';
process.env.MODELS_AUTO_FETCH ??= 'off';
process.env.NEXT_TELEMETRY_DISABLED = '1';
const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const ROWS = Number(arg('rows', '20000'));
const PUBLISHED = Number(arg('published', '1000'));
const RUNS = Number(arg('runs', '200'));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

const database = await benchDatabase('bench_linkpage', 54393);
let server: TestServer | undefined;
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
try {
  server = await startServer({ DATABASE_URL: database.url, API_TOKEN: crypto.randomBytes(16).toString('hex'), ADMIN_EMAIL: 'bench@example.com', ADMIN_PASSWORD: 'bench-password-long' }, { timeoutMs: 600_000 });
  const base = server.url;
  const t0 = Date.now();
  await seedDemo(drizzle(pool, { schema, casing: 'snake_case' }), { count: ROWS, chunk: 2000 });
  // One crop file on disk, used by every published product (the page only names it; the image route reads it).
  const crop = 'bench/crops/w1-20000.jpg';
  const cropAbs = path.join(server.dataDir, 'media', crop);
  fs.mkdirSync(path.dirname(cropAbs), { recursive: true });
  await sharp({ create: { width: 240, height: 240, channels: 3, background: '#c08060' } }).jpeg({ quality: 80 }).toFile(cropAbs);
  // Exactly PUBLISHED published products: the demo's own published rows go back to approved, and the newest
  // PUBLISHED candidates (of any status) become published products with a Coupang link and a short link.
  await pool.query(`UPDATE candidates SET current_status = 'approved' WHERE current_status = 'published'`);
  const picked = (await pool.query(`SELECT id, product_name_ai FROM candidates ORDER BY id DESC LIMIT $1`, [PUBLISHED])).rows as { id: string; product_name_ai: string }[];
  await pool.query(
    `UPDATE candidates SET current_status = 'published', published_at = now() - (id % 5000) * interval '1 minute',
       coupang_url_ai = 'https://link.coupang.com/a/bench' || id,
       evidence = jsonb_set(coalesce(evidence, '{}'::jsonb), '{cropPath}', to_jsonb($2::text))
     WHERE id = ANY($1::bigint[])`,
    [picked.map((r) => r.id), crop],
  );
  const slugs = picked.map((r) => makeSlug(r.product_name_ai, (n) => crypto.randomBytes(n)));
  await pool.query(`INSERT INTO public_links (candidate_id, slug) SELECT * FROM unnest($1::bigint[], $2::text[])`, [picked.map((r) => r.id), slugs]);
  await pool.query('VACUUM ANALYZE candidates');
  const counts = (await pool.query(`SELECT count(*)::int AS all, count(*) FILTER (WHERE current_status = 'published')::int AS published FROM candidates`)).rows[0];
  const celeb = (await pool.query(`SELECT celebrity_name AS n, count(*)::int AS c FROM candidates WHERE current_status = 'published' GROUP BY 1 ORDER BY 2 DESC LIMIT 1`)).rows[0] as { n: string; c: number };
  console.log(`seeded ${counts.all} candidates, ${counts.published} published, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  async function timed(url: string, init: RequestInit = {}, expect = 200): Promise<number> {
    const t = performance.now();
    const res = await fetch(url, { redirect: 'manual', ...init });
    await res.arrayBuffer();
    const ms = performance.now() - t;
    if (res.status !== expect) throw new Error(`${url} → ${res.status}, expected ${expect}`);
    return ms;
  }
  async function measure(label: string, fn: () => Promise<number>, runs = RUNS): Promise<string[]> {
    for (let i = 0; i < 20; i++) await fn(); // warm
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await fn());
    return [label, pct(times, 50).toFixed(1), pct(times, 95).toFixed(1), String(runs)];
  }
  const rows: string[][] = [];
  const page = await fetch(`${base}/l`).then((r) => r.text());
  console.log(`GET /l: ${(page.length / 1024).toFixed(0)} KB of HTML, ${(page.match(/data-testid="public-product"/g) ?? []).length} products on the first page`);
  rows.push(await measure(`GET /l (first page of ${counts.published})`, () => timed(`${base}/l`)));
  rows.push(await measure('GET /l?page=20', () => timed(`${base}/l?page=20`)));
  rows.push(await measure(`GET /l/<celebrity> (${celeb.c} products)`, () => timed(`${base}/l/${encodeURIComponent(celeb.n)}`)));
  // After a publish (here: an edit of a published product) the next request reloads the snapshot.
  const touched = picked[0].id;
  rows.push(
    await measure(
      'GET /l right after a publish (snapshot reload)',
      async () => {
        await pool.query(`UPDATE candidates SET updated_at = now() WHERE id = $1`, [touched]);
        return timed(`${base}/l`);
      },
      50,
    ),
  );
  let k = 0;
  rows.push(await measure('GET /l/p/<slug> (302, click counted)', () => timed(`${base}/l/p/${slugs[k++ % slugs.length]}`, {}, 302)));
  rows.push(await measure('GET /l/p/<slug>/image (crop)', () => timed(`${base}/l/p/${slugs[k++ % slugs.length]}/image`)));
  // 8 viewers at once.
  const concurrent: number[] = [];
  for (let i = 0; i < 20; i++) await timed(`${base}/l`);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = 0; i < Math.ceil(RUNS / 8); i++) concurrent.push(await timed(`${base}/l`));
    }),
  );
  rows.push(['GET /l, 8 clients at once (latency per request)', pct(concurrent, 50).toFixed(1), pct(concurrent, 95).toFixed(1), String(concurrent.length)]);
  const clicks = Number((await pool.query('SELECT sum(clicks)::int AS n FROM public_links')).rows[0].n);

  console.log(`\n## Link-in-bio page at ${Number(counts.published).toLocaleString('en')} published products (${Number(counts.all).toLocaleString('en')} candidates; HTTP against the built app, ${machineLoad()})\n`);
  console.log('| request | p50 ms | p95 ms | runs |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\n${clicks} clicks counted by the short-link runs (warm-up included).`);
  reportFigures('linkpage', [
    { name: `GET /l p95 at ${counts.published} published products`, value: Number(rows[0][2]), unit: 'ms', target: { op: '<=', value: 50 } },
    { name: 'GET /l/<celebrity> p95', value: Number(rows[2][2]), unit: 'ms', target: { op: '<=', value: 50 } },
    { name: 'GET /l p95 right after a publish', value: Number(rows[3][2]), unit: 'ms', reference: `steady p95 ${rows[0][2]} ms` },
    { name: 'GET /l/p/<slug> p95 (302 + count)', value: Number(rows[4][2]), unit: 'ms', target: { op: '<=', value: 50 } },
    { name: 'GET /l p95 with 8 clients at once', value: Number(rows[6][2]), unit: 'ms', reference: `one at a time ${rows[0][2]} ms` },
  ]);
} finally {
  await pool.end();
  await server?.stop();
  await database.drop();
}
