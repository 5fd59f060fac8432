/**
 * `npm run bench:video` → the fixture vlog looped into a long video (10× = 10 minutes by default, its captions
 * repeated), analysed end to end by the real app in this process (captions → windows → frames/detector/OCR →
 * synthesis → score; no keys), and printed beside its references measured in the same run:
 * - end to end ÷ one full ffmpeg decode of the same file (target ≤ 16×);
 * - visual overhead: the visual stage's time ÷ the raw inference (YOLOX + both OCR engines) of the frames it kept,
 *   timed warm on those frames afterwards (target ≤ 1.5×);
 * - CPU seconds (this process and its ffmpeg children), idle and peak RSS (target ≤ 1 GB);
 * - with --list-rows=N: N demo candidates are seeded first and the candidate list (the call GET /api/v1/candidates
 *   makes, first page of 50) is timed idle and then every 250 ms while the video is analysed (target p95 ≤ 50 ms).
 * Options: --loops=N (default 10), --height=720 (re-encodes the looped video at 1280×720 first), --frames=N,
 * --list-rows=N (default 0). VISUAL_CONCURRENCY as for the app (default: the core count).
 * Database as in bench/lib/database.ts. MODELS_DIR must hold the detector (../shared/models in this repo's setup).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchDatabase, cpuSeconds, machineLoad } from './lib/database';
import { reportFigures } from './lib/report';

process.env.LOG_LEVEL ??= 'warn';
process.env.MODELS_AUTO_FETCH ??= 'off';
const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const LOOPS = Number(arg('loops', '10'));
const HEIGHT = Number(arg('height', '360'));
const LIST_ROWS = Number(arg('list-rows', '0'));
const shared = path.resolve(process.env.SHARED_DIR ?? path.resolve(process.cwd(), '../shared'));
process.env.MODELS_DIR ??= path.join(shared, 'models');
const fixture = path.join(shared, 'models', 'fixtures', 'vlog_roundlab_60s.mp4');
const captions = path.resolve(import.meta.dirname, '..', 'tests', 'fixtures', 'media', 'vlog_roundlab_60s.ko.vtt');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-bench-video-'));
const idleRss = process.memoryUsage().rss;

const { ffmpegPath } = await import('@/src/server/media/binaries');
const ffmpeg = (args: string[]) => {
  const r = spawnSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args]);
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${r.stderr}`);
};

// The long video and its captions: the fixture LOOPS times (stream copy), re-encoded at 720p on request.
const looped = path.join(work, `looped-${LOOPS}.mp4`);
ffmpeg(['-stream_loop', String(LOOPS - 1), '-i', fixture, '-c', 'copy', looped]);
let video = looped;
if (HEIGHT !== 360) {
  video = path.join(work, `looped-${LOOPS}-${HEIGHT}p.mp4`);
  ffmpeg(['-i', looped, '-vf', `scale=-2:${HEIGHT}`, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-c:a', 'copy', video]);
}
const vtt = path.join(work, 'captions.ko.vtt');
fs.writeFileSync(vtt, repeatCaptions(fs.readFileSync(captions, 'utf8'), LOOPS, 60));

// Reference: one full decode of the same file.
const decodeStart = performance.now();
ffmpeg(['-i', video, '-f', 'null', '-']);
const decodeSec = (performance.now() - decodeStart) / 1000;

const db = await benchDatabase('bench_video');
Object.assign(process.env, { DATABASE_URL: db.url, DATA_DIR: path.join(work, 'data') });
for (const k of ['GEMINI_API_KEY', 'COUPANG_ACCESS_KEY', 'COUPANG_SECRET_KEY', 'SLACK_WEBHOOK_URL', 'APP_ROLE', 'WORKER_QUEUES']) delete process.env[k];
if (process.argv.some((a) => a.startsWith('--frames='))) process.env.VISUAL_FRAMES_PER_WINDOW = arg('frames', '8');
(await import('@/src/server/config')).resetConfig();
const app = await import('@/src/start');
await app.startApp();
await new Promise((r) => setTimeout(r, 2000)); // settled: queues polling, nothing to do
const appIdleRss = process.memoryUsage().rss;
const { getDb, schema } = await import('@/src/server/db');
const { eq, inArray } = await import('drizzle-orm');
const { enqueue } = await import('@/src/server/queue');
const { mediaPaths, toStoredPath, resolveMediaPath } = await import('@/src/server/media/paths');

const [row] = await getDb()
  .insert(schema.videos)
  .values({ sourceKind: 'upload', uploadHash: `bench-${Date.now()}`, title: '아침 스킨케어 루틴 브이로그', description: '내돈내산', stage: 'transcript', durationSeconds: 60 * LOOPS })
  .returning();
const source = mediaPaths.source(row.id, 'mp4');
fs.mkdirSync(path.dirname(source), { recursive: true });
fs.copyFileSync(video, source);
const cap = mediaPaths.captions(row.id, 'vtt');
fs.copyFileSync(vtt, cap);
await getDb().update(schema.videos).set({ mediaPath: toStoredPath(source), captionsPath: toStoredPath(cap) }).where(eq(schema.videos.id, row.id));

// The candidate list, idle and while analysing: the web answers from the same process as the workers.
const { listCandidates } = await import('@/src/server/candidates');
const { listCandidatesQuery } = await import('@/src/server/candidates/schemas');
const listIdle: number[] = [];
const listBusy: number[] = [];
const timeList = async (into: number[]) => {
  const t = performance.now();
  await listCandidates(listCandidatesQuery.parse({ limit: '50' }));
  into.push(performance.now() - t);
};
if (LIST_ROWS > 0) {
  // seeded by npm run seed:demo in its own process: building 100k rows here would count in this process's peak RSS
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '..', 'scripts', 'seed-demo.ts'), '--count', String(LIST_ROWS)], { env: process.env, encoding: 'utf8' });
  if (seeded.status !== 0) throw new Error(`seed:demo failed: ${seeded.stderr}`);
  const { sql } = await import('drizzle-orm');
  await getDb().execute(sql`VACUUM ANALYZE candidates`);
  for (let i = 0; i < 43; i++) await timeList(listIdle);
  listIdle.splice(0, 3); // warm-up
}

const cpu0 = cpuSeconds();
const t0 = performance.now();
await enqueue('video.transcript', { videoId: String(row.id) });
let done: typeof schema.videos.$inferSelect | undefined;
for (;;) {
  [done] = await getDb().select().from(schema.videos).where(eq(schema.videos.id, row.id));
  if (done && ['done', 'failed'].includes(done.stage)) break;
  if (LIST_ROWS > 0) await timeList(listBusy);
  await new Promise((r) => setTimeout(r, LIST_ROWS > 0 ? 250 : 200));
}
const totalSec = (performance.now() - t0) / 1000;
const cpu1 = cpuSeconds();
const peakRss = process.resourceUsage().maxRSS * 1024;
if (done!.stage !== 'done') throw new Error(`video failed: ${done!.errorMessage}`);

// Raw inference of the frames the visual stage kept, timed warm (models are loaded by the run above).
const windows = await getDb().select().from(schema.windows).where(eq(schema.windows.videoId, row.id));
const findings = await getDb().select().from(schema.visualFindings).where(inArray(schema.visualFindings.windowId, windows.map((w) => w.id)));
const frames = findings.flatMap((f) => (f.framePath ? [fs.readFileSync(resolveMediaPath(f.framePath))] : []));
const { detectObjectsBatch } = await import('@/src/models/detector');
const { readText } = await import('@/src/models/ocr');
const r0 = performance.now();
await detectObjectsBatch(frames, { scoreThreshold: 0.3, maxDetections: 10 });
for (const f of frames) await readText(f);
const rawSec = (performance.now() - r0) / 1000;
const candidates = await getDb().select().from(schema.candidates).where(eq(schema.candidates.videoId, row.id));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))] ?? NaN;
const visualSec = Number(done!.timings.visual ?? 0);

console.log(`\n## Video end to end (${LOOPS} min, ${HEIGHT}p, captions, no keys; ${machineLoad()} after the run)\n`);
console.log('| figure | value | reference | ratio | target |');
console.log('|---|---|---|---|---|');
console.log(`| end to end | ${totalSec.toFixed(1)} s | one full decode ${decodeSec.toFixed(2)} s | ${(totalSec / decodeSec).toFixed(1)}× | ≤ 16× (and ≤ 60 s for 10 min) |`);
console.log(`| visual stage | ${visualSec.toFixed(1)} s (${windows.length} windows, ${frames.length} frames kept) | raw YOLOX + OCR of the kept frames ${rawSec.toFixed(1)} s | ${(visualSec / rawSec).toFixed(2)}× | ≤ 1.5× |`);
console.log(`| CPU | ${(cpu1.self - cpu0.self).toFixed(1)} s node + ${(cpu1.children - cpu0.children).toFixed(1)} s ffmpeg | wall ${totalSec.toFixed(1)} s | ${((cpu1.self - cpu0.self + cpu1.children - cpu0.children) / totalSec).toFixed(2)} cores busy | |`);
console.log(`| RSS | before start ${(idleRss / 1e6).toFixed(0)} MB, app idle ${(appIdleRss / 1e6).toFixed(0)} MB, peak ${(peakRss / 1e6).toFixed(0)} MB | | | peak ≤ 1,000 MB |`);
console.log(`| stage timings | ${Object.entries(done!.timings).map(([k, v]) => `${k} ${Number(v).toFixed(1)} s`).join(', ')} | | | |`);
console.log(`| candidates | ${candidates.map((c) => `${c.productNameAi ?? '?'} [${c.clipStartTime?.toFixed(1)}–${c.clipEndTime?.toFixed(1)}]`).join('; ')} | | | |`);
if (LIST_ROWS > 0)
  console.log(`| candidate list at ${LIST_ROWS.toLocaleString('en')} rows while analysing (${listBusy.length} calls) | p50 ${pct(listBusy, 50).toFixed(1)} ms, p95 ${pct(listBusy, 95).toFixed(1)} ms | idle p50 ${pct(listIdle, 50).toFixed(1)} ms, p95 ${pct(listIdle, 95).toFixed(1)} ms | ${(pct(listBusy, 95) / pct(listIdle, 95)).toFixed(1)}× | p95 ≤ 50 ms |`);
const cores = (cpu1.self - cpu0.self + cpu1.children - cpu0.children) / totalSec;
const label = `${LOOPS} min, ${HEIGHT}p`;
reportFigures(`video ${label}`, [
  { name: `${label}: end to end`, value: totalSec, unit: 's', reference: `one full decode ${decodeSec.toFixed(2)} s`, target: { op: '<=', value: 60 } },
  { name: `${label}: end to end ÷ one full decode`, value: totalSec / decodeSec, unit: '×', reference: `decode ${decodeSec.toFixed(2)} s`, target: { op: '<=', value: 16 } },
  { name: `${label}: visual stage ÷ raw inference of its kept frames`, value: visualSec / rawSec, unit: '×', reference: `raw YOLOX + OCR ${rawSec.toFixed(1)} s, stage ${visualSec.toFixed(1)} s`, target: { op: '<=', value: 1.5 } },
  { name: `${label}: cores busy while analysing`, value: cores, unit: 'cores', reference: `${os.availableParallelism()} cores, VISUAL_CONCURRENCY ${process.env.VISUAL_CONCURRENCY ?? 'default'}` },
  { name: `${label}: peak RSS`, value: peakRss / 1e6, unit: 'MB', reference: `app idle ${(appIdleRss / 1e6).toFixed(0)} MB (started, no job yet)`, target: { op: '<=', value: 1000 } },
  { name: `${label}: idle RSS, app started in this process (database pool, queues, workers; no Next.js server), no job yet`, value: appIdleRss / 1e6, unit: 'MB', reference: `${(idleRss / 1e6).toFixed(0)} MB before start` },
  ...(LIST_ROWS > 0 ? [{ name: `candidate list p95 at ${LIST_ROWS.toLocaleString('en')} rows while analysing`, value: pct(listBusy, 95), unit: 'ms', reference: `idle p95 ${pct(listIdle, 95).toFixed(1)} ms`, target: { op: '<=' as const, value: 50 } }] : []),
]);

await (await import('@/src/models/ocr')).closeOcr();
await app.stopApp();
await db.drop();
fs.rmSync(work, { recursive: true, force: true });

function repeatCaptions(text: string, loops: number, every: number): string {
  const cues = text.split(/\n\n+/).filter((c) => c.includes('-->'));
  const stamp = (s: number) => {
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${sec.toFixed(3).padStart(6, '0')}`;
  };
  const parse = (t: string) => t.split(':').reduce((a, x) => a * 60 + Number(x), 0);
  const out = ['WEBVTT', ''];
  for (let i = 0; i < loops; i++)
    for (const c of cues) {
      const [times, ...lines] = c.trim().split('\n');
      const [a, b] = times.split('-->').map((x) => parse(x.trim()));
      out.push(`${stamp(a + i * every)} --> ${stamp(b + i * every)}`, ...lines, '');
    }
  return out.join('\n');
}
