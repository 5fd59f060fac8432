import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eq, inArray, sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { setEnv } from '../helpers/env';
import { fixtureCaptions, fixtureVideo, insertFixtureVideo } from '../helpers/pipeline';
import { startServer, type TestServer } from '../helpers/server';
import { startGeminiFake, type GeminiFake } from '../fakes/index';
import { recordFigure } from './lib/figures';

/**
 * The disk fills up while media is written: an upload received through the API, the speech audio the transcript step
 * extracts with ffmpeg, the frames and crops window.visual writes. Each time the stage must fail clearly (507 / the
 * video failed, the message naming the full disk, no server path in it), keep nothing half-written (no partial file in
 * the media folder, no row of the failed stage) and succeed when it is retried after space is freed.
 *
 * How the disk is filled: when this process may mount one (root, CAP_SYS_ADMIN), DATA_DIR is a small tmpfs and a filler
 * file takes all its space, so every write fails with ENOSPC wherever it happens. Otherwise the exact file the stage
 * is about to write is made a symlink to /dev/full (writes to it fail with ENOSPC): the captions of the next upload,
 * the speech piece's temp file, every frame's and crop's temp file the window may write (RELIABILITY_DISK_MODE=devfull
 * forces this way where a mount would work).
 *
 * The jobs run in this process as the queue runs a job (src/workers/index.ts handle: run; an error that is not final is
 * thrown back for pg-boss to retry; on the last attempt onGiveUp records the failure); the upload goes through the
 * built app (`npm start`, same database and data folder).
 */
const AREA = 'Disk full while writing media';
const TOKEN = 'disk-full-api-token-0123456789abcdef';

let db: { url: string; drop(): Promise<void> };
let dataDir: string;
let mode: 'tmpfs' | 'devfull' = 'devfull';
let server: TestServer;
let gemini: GeminiFake;
const cleanups: (() => Promise<unknown>)[] = [];
const results: { name: string; held: boolean }[] = [];

type Db = typeof import('@/src/server/db');
let D: Db;

before(async () => {
  db = await createTestDatabase('rdisk');
  cleanups.push(() => db.drop());
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-rdisk-'));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  try {
    if (process.env.RELIABILITY_DISK_MODE === 'devfull') throw new Error('devfull asked for');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m,mode=0755', 'tmpfs', dataDir], { stdio: 'pipe' });
    mode = 'tmpfs';
    cleanups.push(async () => execFileSync('umount', ['-l', dataDir], { stdio: 'pipe' }));
  } catch {
    mode = 'devfull'; // no mount here: the files the stages write become symlinks to /dev/full
  }
  gemini = await startGeminiFake({ apiKey: 'disk-full-gemini-key' });
  cleanups.push(() => gemini.close());
  for (const k of ['GEMINI_API_KEY', 'COUPANG_ACCESS_KEY', 'COUPANG_SECRET_KEY', 'SLACK_WEBHOOK_URL', 'YOUTUBE_API_KEY', 'WORKER_QUEUES']) delete process.env[k];
  setEnv({ DATABASE_URL: db.url, DATA_DIR: dataDir, APP_ROLE: 'web', LOG_LEVEL: 'silent', VISUAL_FRAMES_PER_WINDOW: '3', ADMIN_EMAIL: 'disk@example.com', ADMIN_PASSWORD: 'disk-full-test-password' });
  await (await import('@/src/start')).startApp();
  cleanups.push(async () => {
    await (await import('@/src/models/ocr')).closeOcr().catch(() => {});
    await (await import('@/src/start')).stopApp();
  });
  D = await import('@/src/server/db');
  // the built app serves the upload API on the same database and data folder; no workers (the test runs the jobs)
  server = await startServer({ DATABASE_URL: db.url, APP_ROLE: 'web', API_TOKEN: TOKEN, LOG_LEVEL: 'error', GEMINI_API_KEY: '' }, { dataDir });
  cleanups.push(() => server.stop());
});

after(async () => {
  for (const c of cleanups.reverse()) await c().catch((e) => console.error('cleanup failed:', e));
});

// ---------------------------------------------------------------------------------------------------------------

const FILLER = () => path.join(dataDir, '.disk-filler');

/** tmpfs: takes every free byte of the data folder's file system. */
function fillDisk(): number {
  const fd = fs.openSync(FILLER(), 'a');
  let written = 0;
  try {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          written += fs.writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

/** devfull: the paths the stage is about to write, as symlinks to /dev/full. */
function linkToDevFull(files: string[]): string[] {
  for (const f of files) {
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.rmSync(f, { force: true });
    fs.symlinkSync('/dev/full', f);
  }
  return files;
}

const isLink = (f: string) => {
  try {
    return fs.lstatSync(f).isSymbolicLink();
  } catch {
    return false;
  }
};

/** Files a failed write may leave: temp names, empty files, symlinks (to /dev/full), JPEGs without their end marker. */
function partialFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const name of fs.readdirSync(d)) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      const rel = path.relative(dataDir, p);
      if (st.isSymbolicLink()) out.push(`${rel} (a symlink)`);
      else if (st.isDirectory()) walk(p);
      else if (/\.part(\.|$)/.test(name)) out.push(`${rel} (a temp file, ${st.size} bytes)`);
      else if (st.size === 0) out.push(`${rel} (empty)`);
      else if (name.endsWith('.jpg')) {
        const b = fs.readFileSync(p);
        if (b[b.length - 2] !== 0xff || b[b.length - 1] !== 0xd9) out.push(`${rel} (a truncated JPEG)`);
      }
    }
  };
  walk(dir);
  return out;
}

/** A message the operator or an API client reads: names the full disk, holds no server path and no stack. */
function unclear(message: unknown): string[] {
  const m = String(message ?? '');
  const out: string[] = [];
  if (!/ENOSPC|disk is full|no space left/i.test(m)) out.push(`does not name the full disk: ${JSON.stringify(m.slice(0, 200))}`);
  if (m.includes(dataDir) || /(^|[\s'"(])\/(tmp|work|root|home|var|usr|data)\//.test(m)) out.push(`holds a server path: ${JSON.stringify(m.slice(0, 200))}`);
  if (/\n\s+at\s/.test(m)) out.push('holds a stack');
  return out;
}

/** A job as the queue runs it (src/workers/index.ts handle): the error is returned; on the last attempt onGiveUp ran. */
async function runJob(queue: string, data: Record<string, string>, opts: { final?: boolean } = {}): Promise<unknown> {
  const { workerRegistry } = await import('@/src/workers');
  const { isPermanent } = await import('@/src/server/queue/job-errors');
  const def = (workerRegistry as Record<string, { run(d: unknown, c: unknown): Promise<void>; onGiveUp?(d: unknown, e: unknown): Promise<void> }>)[queue];
  const final = opts.final ?? true;
  try {
    await def.run(data, { jobId: `reliability-${queue}`, attempt: final ? 4 : 1, isFinalAttempt: final });
    return null;
  } catch (err) {
    if (isPermanent(err) || final) await def.onGiveUp?.(data, err);
    return err;
  }
}

async function video(id: number) {
  const [v] = await D.getDb().select().from(D.schema.videos).where(eq(D.schema.videos.id, id));
  return v;
}

async function apiVideo(id: number): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}/api/v1/videos/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, json: await res.json() };
}

/** Frees the space (tmpfs) or takes the remaining injected symlinks away (devfull); returns those left unused. */
function freeSpace(injected: string[]): string[] {
  fs.rmSync(FILLER(), { force: true });
  const unused = injected.filter(isLink);
  for (const f of unused) fs.rmSync(f, { force: true });
  return unused;
}

async function diskCase(name: string, fn: (check: (ok: boolean, what: string) => void, note: (s: string) => void) => Promise<void>) {
  const problems: string[] = [];
  const notes: string[] = [];
  try {
    await fn(
      (ok, what) => void (ok || problems.push(what)),
      (s) => notes.push(s),
    );
  } catch (err) {
    problems.push(`threw: ${err instanceof Error ? err.stack : String(err)}`);
  } finally {
    fs.rmSync(FILLER(), { force: true });
  }
  const held = problems.length === 0;
  results.push({ name, held });
  recordFigure({ area: AREA, name, value: held ? 'held' : 'FAILED', note: [...notes, ...problems].join(' · ') });
  assert.deepEqual(problems, [], `${name}:\n${problems.join('\n')}`);
}

// ---------------------------------------------------------------------------------------------------------------

test('upload through the API onto a full disk: 507 naming it, nothing kept; the same upload succeeds once there is room', { timeout: 120_000 }, async () => {
  await diskCase('upload (POST /api/v1/videos/upload)', async (check, note) => {
    const { getDb, schema } = D;
    const form = () => {
      const f = new FormData();
      f.append('file', new Blob([fs.readFileSync(fixtureVideo())], { type: 'video/mp4' }), 'disk-full-vlog.mp4');
      f.append('captions', new Blob([fs.readFileSync(fixtureCaptions, 'utf8')], { type: 'text/vtt' }), 'disk-full-vlog.vtt');
      f.append('title', '디스크 가득: 업로드');
      return f;
    };
    const upload = () => fetch(`${server.url}/api/v1/videos/upload`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form() });
    const count = async () => (await getDb().select({ n: sql<number>`count(*)::int` }).from(schema.videos))[0].n;
    const ingestJobs = async () => (await getDb().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'video.ingest'`)).rows[0].n;
    const mediaDir = path.join(dataDir, 'media');
    const dirsBefore = fs.existsSync(mediaDir) ? fs.readdirSync(mediaDir) : [];
    const [rowsBefore, jobsBefore] = [await count(), await ingestJobs()];

    let injected: string[] = [];
    if (mode === 'tmpfs') note(`${Math.round(fillDisk() / 1024)} KB filler: the data folder's tmpfs is full`);
    else {
      // the video id the upload will get: its captions file is where the write fails
      const seq = (await getDb().execute<{ s: string }>(sql`select pg_get_serial_sequence('videos', 'id') as s`)).rows[0].s;
      const { rows } = await getDb().execute<{ last_value: string; is_called: boolean }>(sql.raw(`select last_value, is_called from ${seq}`));
      const next = Number(rows[0].last_value) + (rows[0].is_called ? 1 : 0);
      injected = linkToDevFull([path.join(mediaDir, String(next), 'captions.vtt')]);
      note(`captions.vtt of video ${next} → /dev/full`);
    }
    const t0 = Date.now();
    const res = await upload();
    const ms = Date.now() - t0;
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    const unused = freeSpace(injected);
    check(res.status === 507 && body?.error?.code === 'insufficient_storage', `answered ${res.status} ${JSON.stringify(body).slice(0, 240)}`);
    for (const p of unclear(body?.error?.message)) check(false, `API message ${p}`);
    check((await count()) === rowsBefore, 'a video row was kept');
    check((await ingestJobs()) === jobsBefore, 'a video.ingest job was sent');
    const dirsAfter = fs.existsSync(mediaDir) ? fs.readdirSync(mediaDir) : [];
    check(dirsAfter.length === dirsBefore.length, `media folders left: ${dirsAfter.filter((d) => !dirsBefore.includes(d)).join(', ')}`);
    check(unused.length === 0, `the app left the file it failed to write: ${unused.map((f) => path.relative(dataDir, f)).join(', ')}`);
    const uploads = path.join(dataDir, 'tmp', 'uploads');
    const leftovers = fs.existsSync(uploads) ? fs.readdirSync(uploads) : [];
    check(leftovers.length === 0, `temp upload files left: ${leftovers.join(', ')}`);
    for (const p of partialFiles(mediaDir)) check(false, `partial file ${p}`);
    note(`full disk → ${res.status} ${body?.error?.code} in ${ms} ms: "${body?.error?.message?.slice(0, 110)}"; no row, no job, no file`);

    const t1 = Date.now();
    const again = await upload();
    const ok = (await again.json()) as { id?: string; video?: { id: string } };
    check(again.status === 202 && !!ok.id, `after freeing space: ${again.status} ${JSON.stringify(ok).slice(0, 200)}`);
    if (ok.id) {
      const v = await video(Number(ok.id));
      const source = v?.mediaPath ? path.join(mediaDir, v.mediaPath) : '';
      check(!!source && fs.statSync(source).size === fs.statSync(fixtureVideo()).size, 'the stored upload is not the whole file');
      check(!!v?.captionsPath && fs.readFileSync(path.join(mediaDir, v.captionsPath), 'utf8') === fs.readFileSync(fixtureCaptions, 'utf8'), 'the stored captions are not whole');
      note(`room again → 202 in ${Date.now() - t1} ms, video ${ok.id} stored whole`);
    }
  });
});

test('video.transcript: the speech audio cannot be written → the video fails naming the full disk; no partial piece; retry works', { timeout: 120_000 }, async () => {
  await diskCase('audio extraction (video.transcript, Gemini audio pieces)', async (check, note) => {
    const { getDb, schema } = D;
    setEnv({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url, GEMINI_MODEL: 'gemini-disk-full' });
    (await import('@/src/server/integrations/policy')).configureProvider('gemini', { backoffInitialMs: 20, backoffMaxMs: 100 });
    try {
      const videoId = await insertFixtureVideo({ title: '디스크 가득: 음성', captions: false });
      const { mediaPaths, videoDir } = await import('@/src/server/media/paths');
      const piece = path.join(mediaPaths.speech(videoId), 'speech-900s-000.ogg'); // GEMINI_AUDIO_PIECE_SEC 900: one piece
      let injected: string[] = [];
      if (mode === 'tmpfs') fillDisk();
      else injected = linkToDevFull([`${piece}.part.ogg`]);
      const calls = gemini.calls().length;

      // an attempt that is not the last: thrown back for pg-boss to retry later; the video waits, nothing failed yet
      const early = await runJob('video.transcript', { videoId: String(videoId) }, { final: false });
      check(early instanceof Error && /disk is full/i.test(early.message), `first attempt: ${String(early)}`);
      let v = await video(videoId);
      check(v.stage === 'transcript', `after a retryable attempt the video is ${v.stage}`);
      if (mode === 'devfull') injected = linkToDevFull(injected); // the app removed its temp file: put the trap back
      // the last attempt: the video fails with the reason
      const err = await runJob('video.transcript', { videoId: String(videoId) });
      const unused = freeSpace(injected);
      check(err instanceof Error, 'the transcript step did not fail');
      v = await video(videoId);
      check(v.stage === 'failed' && v.failedStage === 'transcript', `the video is ${v.stage}/${v.failedStage}`);
      check(v.errorCode === 'internal', `error code ${v.errorCode} (the server's disk, not the media)`);
      for (const p of unclear(v.errorMessage)) check(false, `video message ${p}`);
      const shown = await apiVideo(videoId);
      for (const p of unclear(shown.json?.error?.message)) check(false, `API message ${p}`);
      check(unused.length === 0, `the app left the file it failed to write: ${unused.map((f) => path.relative(dataDir, f)).join(', ')}`);
      for (const p of partialFiles(videoDir(videoId))) check(false, `partial file ${p}`);
      const transcripts = await getDb().select().from(schema.transcripts).where(eq(schema.transcripts.videoId, videoId));
      const windows = await getDb().select().from(schema.windows).where(eq(schema.windows.videoId, videoId));
      check(transcripts.length === 0 && windows.length === 0, `rows kept: ${transcripts.length} transcript(s), ${windows.length} window(s)`);
      check(gemini.calls().length === calls, 'Gemini was paid for audio that was never written');
      note(`full disk → retryable first, then failed at transcript: "${v.errorMessage?.slice(0, 110)}"; no piece, no transcript`);

      const { retryVideo } = await import('@/src/server/videos/retry');
      await retryVideo(String(videoId));
      gemini.reply({ segments: [{ start: 0.5, end: 4, text: '안녕하세요, 오늘은 아침 스킨케어 루틴을 보여 드릴게요.' }, { start: 20, end: 27, text: '요즘 진짜 잘 쓰는 게 라운드랩 독도 토너예요.' }] });
      const retried = await runJob('video.transcript', { videoId: String(videoId) });
      check(retried === null, `retry after freeing space: ${String(retried)}`);
      const [t] = await getDb().select().from(schema.transcripts).where(eq(schema.transcripts.videoId, videoId));
      v = await video(videoId);
      check(t?.source === 'gemini_audio' && v.stage === 'windows', `after the retry: transcript ${t?.source}, stage ${v.stage}`);
      note(`room again → transcript stored (${t?.source}), video at ${v.stage}`);
    } finally {
      setEnv({ GEMINI_API_KEY: undefined, GEMINI_BASE_URL: undefined, GEMINI_MODEL: undefined });
    }
  });
});

test('window.visual: frames and crops cannot be written → window and video fail naming the full disk; no partial image, no findings; retry works', { timeout: 180_000 }, async () => {
  await diskCase('frames and crops (window.visual)', async (check, note) => {
    const { getDb, schema } = D;
    const { mediaPaths, videoDir } = await import('@/src/server/media/paths');
    const { frameTimes } = await import('@/src/server/media/frames');
    const videoId = await insertFixtureVideo({ title: '디스크 가득: 프레임' });
    check((await runJob('video.transcript', { videoId: String(videoId) })) === null, 'transcript from captions failed');
    check((await runJob('video.windows', { videoId: String(videoId) })) === null, 'finding windows failed');
    const wins = await getDb().select().from(schema.windows).where(eq(schema.windows.videoId, videoId));
    check(wins.length > 0 && wins.every((w) => w.stage === 'visual'), `windows: ${wins.map((w) => w.stage).join(', ') || 'none'}`);

    let injected: string[] = [];
    if (mode === 'tmpfs') fillDisk();
    else {
      // every frame and crop the window may keep (its sample times): whichever is written first fails
      for (const w of wins) {
        for (const t of frameTimes(w.start, w.end, 3 * 2)) {
          injected.push(`${mediaPaths.frame(videoId, w.id, t)}.${process.pid}.part`, `${mediaPaths.crop(videoId, w.id, t)}.${process.pid}.part`);
        }
      }
      linkToDevFull(injected);
    }
    const t0 = Date.now();
    const errors = [];
    for (const w of wins) errors.push(await runJob('window.visual', { windowId: String(w.id) }));
    const unused = freeSpace(injected);
    check(errors.every((e) => e instanceof Error && /disk is full/i.test(e.message)), `window.visual: ${errors.map(String).join(' | ')}`);
    if (mode === 'devfull') check(injected.length - unused.length === wins.length, `${injected.length - unused.length} of the injected temp files were removed, expected ${wins.length} (one per failed window)`);
    const after = await getDb().select().from(schema.windows).where(eq(schema.windows.videoId, videoId));
    check(after.every((w) => w.stage === 'failed'), `windows: ${after.map((w) => w.stage).join(', ')}`);
    for (const w of after) for (const p of unclear(w.error)) check(false, `window message ${p}`);
    const v = await video(videoId);
    check(v.stage === 'failed' && v.failedStage === 'visual', `the video is ${v.stage}/${v.failedStage}`);
    check(v.errorCode === 'internal', `error code ${v.errorCode} (the server's disk, not the media)`);
    for (const p of unclear(v.errorMessage)) check(false, `video message ${p}`);
    const shown = await apiVideo(videoId);
    for (const p of unclear(shown.json?.error?.message)) check(false, `API message ${p}`);
    const ids = wins.map((w) => w.id);
    const findings = await getDb().select().from(schema.visualFindings).where(inArray(schema.visualFindings.windowId, ids));
    check(findings.length === 0, `${findings.length} visual finding rows kept`);
    for (const p of partialFiles(videoDir(videoId))) check(false, `partial file ${p}`);
    note(`${wins.length} window(s) failed in ${Math.round((Date.now() - t0) / 1000)} s: "${v.errorMessage?.slice(0, 120)}"; no findings, no partial image`);

    const { retryVideo } = await import('@/src/server/videos/retry');
    await retryVideo(String(videoId));
    for (const w of wins) check((await runJob('window.visual', { windowId: String(w.id) })) === null, `retry of window ${w.ordinal} failed`);
    const done = await getDb().select().from(schema.windows).where(eq(schema.windows.videoId, videoId));
    const kept = await getDb().select().from(schema.visualFindings).where(inArray(schema.visualFindings.windowId, ids));
    check(done.every((w) => w.stage === 'synthesize') && kept.length > 0, `after the retry: windows ${done.map((w) => w.stage).join(', ')}, ${kept.length} findings`);
    for (const p of partialFiles(videoDir(videoId))) check(false, `partial file after the retry ${p}`);
    note(`room again → ${kept.length} frame finding(s) stored, windows on to synthesis`);
  });
});

test('figures', () => {
  recordFigure({ area: AREA, name: 'how the disk was filled', value: mode, note: mode === 'tmpfs' ? 'DATA_DIR on a 64 MB tmpfs, filled by a filler file' : `${process.env.RELIABILITY_DISK_MODE === 'devfull' ? 'asked for' : 'no mount possible'}: the files about to be written were symlinks to /dev/full` });
  recordFigure({ area: AREA, name: 'cases held', value: `${results.filter((r) => r.held).length}/${results.length}`, note: 'upload (API), speech audio (video.transcript), frames and crops (window.visual)' });
});
