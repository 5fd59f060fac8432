/**
 * `npm run bench:backlog` → a backlog of videos (the 60 s fixture vlog with its captions, --videos=N, default 10)
 * analysed end to end by separate worker processes of the app (bench/lib/worker-process.ts) while this process plays
 * the web role (it creates the videos and sends their jobs), in three set-ups on fresh databases:
 * 1. one process taking one window at a time (VISUAL_CONCURRENCY=1: the single-job rate before this change);
 * 2. one process with the default VISUAL_CONCURRENCY (the core count);
 * 3. two processes, each taking one window at a time.
 * Printed: wall time, videos per minute and its ratio to set-up 1 (target ≥ 1.7× for 2 or 3), CPU seconds per video
 * (workers and their ffmpeg children) and each process's peak RSS. With --list-rows=N (set-up 2 only) N demo
 * candidates are seeded first and this web-role process times the candidate list every 250 ms while the worker process
 * analyses: the list's p95 when the web runs apart from the workers (APP_ROLE=web + APP_ROLE=worker).
 * Database as in bench/lib/database.ts.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchDatabase, machineLoad } from './lib/database';
import { reportFigures } from './lib/report';

process.env.LOG_LEVEL ??= 'warn';
process.env.MODELS_AUTO_FETCH ??= 'off';
const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const VIDEOS = Number(arg('videos', '10'));
const LIST_ROWS = Number(arg('list-rows', '0'));
const shared = path.resolve(process.env.SHARED_DIR ?? path.resolve(process.cwd(), '../shared'));
process.env.MODELS_DIR ??= path.join(shared, 'models');
const fixture = path.join(shared, 'models', 'fixtures', 'vlog_roundlab_60s.mp4');
const captions = path.resolve(import.meta.dirname, '..', 'tests', 'fixtures', 'media', 'vlog_roundlab_60s.ko.vtt');
for (const k of ['GEMINI_API_KEY', 'COUPANG_ACCESS_KEY', 'COUPANG_SECRET_KEY', 'SLACK_WEBHOOK_URL', 'WORKER_QUEUES']) delete process.env[k];

type Setup = { name: string; processes: number; visualConcurrency: string | undefined; timeList?: boolean };
type Result = Setup & { seconds: number; perMinute: number; cpuPerVideo: number; peakRssMb: number[]; candidates: number; list?: { idle: number[]; busy: number[] } };

const setups: Setup[] = [
  { name: '1 process, 1 window at a time', processes: 1, visualConcurrency: '1' },
  { name: `1 process, VISUAL_CONCURRENCY default (${os.availableParallelism()})`, processes: 1, visualConcurrency: undefined, timeList: LIST_ROWS > 0 },
  { name: '2 processes, 1 window at a time each', processes: 2, visualConcurrency: '1' },
];

async function run(setup: Setup): Promise<Result> {
  const db = await benchDatabase('bench_backlog');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-bench-backlog-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, DATA_DIR: dataDir };
  if (setup.visualConcurrency) env.VISUAL_CONCURRENCY = setup.visualConcurrency;
  else delete env.VISUAL_CONCURRENCY;
  Object.assign(process.env, { DATABASE_URL: db.url, DATA_DIR: dataDir, APP_ROLE: 'web' });
  const { resetConfig } = await import('@/src/server/config');
  resetConfig();
  const app = await import('@/src/start');
  await app.startApp();
  const { getDb, schema } = await import('@/src/server/db');
  const { eq, inArray, sql } = await import('drizzle-orm');
  const { enqueue } = await import('@/src/server/queue');
  const { mediaPaths, toStoredPath } = await import('@/src/server/media/paths');

  const ids: number[] = [];
  for (let i = 0; i < VIDEOS; i++) {
    const [row] = await getDb()
      .insert(schema.videos)
      .values({ sourceKind: 'upload', uploadHash: `bench-backlog-${Date.now()}-${i}`, title: `아침 스킨케어 루틴 브이로그 ${i + 1}`, description: '내돈내산', stage: 'transcript', durationSeconds: 60 })
      .returning();
    const source = mediaPaths.source(row.id, 'mp4');
    fs.mkdirSync(path.dirname(source), { recursive: true });
    fs.copyFileSync(fixture, source);
    const cap = mediaPaths.captions(row.id, 'vtt');
    fs.copyFileSync(captions, cap);
    await getDb().update(schema.videos).set({ mediaPath: toStoredPath(source), captionsPath: toStoredPath(cap) }).where(eq(schema.videos.id, row.id));
    ids.push(row.id);
  }

  const { listCandidates } = await import('@/src/server/candidates');
  const { listCandidatesQuery } = await import('@/src/server/candidates/schemas');
  const list = setup.timeList ? { idle: [] as number[], busy: [] as number[] } : undefined;
  const timeList = async (into: number[]) => {
    const t = performance.now();
    await listCandidates(listCandidatesQuery.parse({ limit: '50' }));
    into.push(performance.now() - t);
  };
  if (list) {
    const { seedDemo } = await import('@/src/demo/seed-candidates');
    await seedDemo(getDb(), { count: LIST_ROWS, chunk: 2000 });
    await getDb().execute(sql`VACUUM ANALYZE candidates`);
    for (let i = 0; i < 43; i++) await timeList(list.idle);
    list.idle.splice(0, 3);
  }

  const workers = Array.from({ length: setup.processes }, () => fork(path.join(import.meta.dirname, 'lib', 'worker-process.ts'), [], { env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const said = (w: (typeof workers)[number], type: string) => new Promise<Record<string, unknown>>((resolve) => w.on('message', (m: { type?: string }) => m?.type === type && resolve(m as Record<string, unknown>)));
  const ready = await Promise.all(workers.map((w) => said(w, 'ready')));

  const t0 = performance.now();
  for (const id of ids) await enqueue('video.transcript', { videoId: String(id) });
  for (;;) {
    const rows = await getDb().select({ stage: schema.videos.stage, error: schema.videos.errorMessage }).from(schema.videos).where(inArray(schema.videos.id, ids));
    const failed = rows.find((r) => r.stage === 'failed');
    if (failed) throw new Error(`a video failed: ${failed.error}`);
    if (rows.every((r) => r.stage === 'done')) break;
    if (list) await timeList(list.busy);
    await new Promise((r) => setTimeout(r, list ? 250 : 200));
  }
  const seconds = (performance.now() - t0) / 1000;
  const stopped = await Promise.all(workers.map((w) => {
    const m = said(w, 'stopped');
    w.send({ type: 'stop' });
    return m;
  }));
  const total = (m: Record<string, unknown>) => (m.cpu as { self: number; children: number }).self + (m.cpu as { self: number; children: number }).children;
  const cpu = stopped.reduce((a, m, i) => a + total(m) - total(ready[i]), 0); // the backlog's CPU, without start-up
  const [{ n }] = (await getDb().execute(sql`SELECT count(*)::int AS n FROM candidates WHERE NOT is_demo`)).rows as { n: number }[];
  await app.stopApp();
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { ...setup, seconds, perMinute: (VIDEOS / seconds) * 60, cpuPerVideo: cpu / VIDEOS, peakRssMb: stopped.map((m) => (m.peakRss as number) / 1e6), candidates: n, list };
}

const results: Result[] = [];
for (const s of setups) results.push(await run(s));
const base = results[0];
console.log(`\n## A backlog of ${VIDEOS} videos (the 60 s fixture with captions, no keys): worker processes (${machineLoad()} after the run)\n`);
console.log('| set-up | wall | videos/min | ÷ 1 process, 1 window at a time | CPU-s per video | cores busy | peak RSS per process | candidates |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of results)
  console.log(`| ${r.name} | ${r.seconds.toFixed(1)} s | ${r.perMinute.toFixed(1)} | ${(r.perMinute / base.perMinute).toFixed(2)}× | ${r.cpuPerVideo.toFixed(1)} | ${((r.cpuPerVideo * VIDEOS) / r.seconds).toFixed(2)} of ${os.availableParallelism()} | ${r.peakRssMb.map((x) => `${x.toFixed(0)} MB`).join(', ')} | ${r.candidates} |`);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))] ?? NaN;
const timed = results.find((r) => r.list);
if (timed?.list)
  console.log(`\nCandidate list at ${LIST_ROWS.toLocaleString('en')} rows in this web-role process while "${timed.name}" analysed (${timed.list.busy.length} calls): p50 ${pct(timed.list.busy, 50).toFixed(1)} ms, p95 ${pct(timed.list.busy, 95).toFixed(1)} ms; idle p50 ${pct(timed.list.idle, 50).toFixed(1)} ms, p95 ${pct(timed.list.idle, 95).toFixed(1)} ms.`);
reportFigures('backlog', [
  ...(timed?.list ? [{ name: `candidate list p95 at ${LIST_ROWS.toLocaleString('en')} rows while a worker process analyses (web in its own process)`, value: pct(timed.list.busy, 95), unit: 'ms', reference: `idle p95 ${pct(timed.list.idle, 95).toFixed(1)} ms`, target: { op: '<=' as const, value: 50 } }] : []),
  ...results.slice(1).map((r) => ({ name: `backlog of ${VIDEOS}: ${r.name}, throughput ÷ 1 process 1 window at a time`, value: r.perMinute / base.perMinute, unit: '×', reference: `${base.perMinute.toFixed(1)} → ${r.perMinute.toFixed(1)} videos/min`, target: { op: '>=' as const, value: 1.7 } })),
  // a second window or process can only add what the first leaves idle
  { name: `backlog of ${VIDEOS}: cores busy, 1 process, 1 window at a time`, value: (base.cpuPerVideo * VIDEOS) / base.seconds, unit: 'cores', reference: `${os.availableParallelism()} cores; CPU-s per video × videos ÷ wall` },
  { name: `backlog of ${VIDEOS}: CPU seconds per video (1 process, default)`, value: results[1].cpuPerVideo, unit: 's', reference: `1 window at a time: ${base.cpuPerVideo.toFixed(1)} s` },
]);
