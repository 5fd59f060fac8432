/**
 * Media acquisition on real Postgres + real pg-boss + real ffprobe: uploads (multipart → ffprobe → stored), the SSRF
 * guard at submission, yt-dlp (the fake executable) success and failure, direct media URLs, retry, and the video.media
 * worker run twice. The app runs as APP_ROLE=web (queue, no workers) and the worker is driven directly, so every step
 * is deterministic; the jobs it sends are read from pg-boss's table.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { setEnv } from '../helpers/env';
import { sharedDir } from '../fakes/http';
import { YTDLP_FAKE_PATH } from '../fakes/index';
import { startApp, stopApp } from '@/src/start';
import { getDb, getPool, schema } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { InvalidMediaError } from '@/src/server/media/probe';
import { resolveMediaPath } from '@/src/server/media/paths';
import { findVideo, moveStage, receiveUpload, retryVideo, submitVideoUrl } from '@/src/server/videos';
import videoMedia from '@/src/workers/video-media';

const MP4 = path.join(sharedDir(), 'models/fixtures/vlog_roundlab_60s.mp4');
const VTT = path.join(import.meta.dirname, '..', 'fixtures', 'upload', 'vlog-ko.vtt');
const { videos } = schema;
const ctx = { jobId: 't', attempt: 1, isFinalAttempt: false };

let db: { url: string; drop(): Promise<void> };
let dataDir: string;
let media: http.Server;
let mediaUrl: string;
const ytdlpLog = path.join(os.tmpdir(), `ytdlp-${process.pid}.log`);
const g = globalThis as unknown as { __influenceBinaries?: Record<string, string | undefined> };

before(async () => {
  db = await createTestDatabase('media');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-media-'));
  setEnv({
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    APP_ROLE: 'web',
    LOG_LEVEL: 'silent',
    ADMIN_EMAIL: 'media@example.com',
    ADMIN_PASSWORD: 'media-test-password',
    YTDLP_PATH: YTDLP_FAKE_PATH,
    ALLOW_PRIVATE_URLS: undefined,
    MAX_UPLOAD_MB: '5',
    FAKE_YTDLP_MEDIA: MP4,
    FAKE_YTDLP_CAPTIONS: VTT,
    FAKE_YTDLP_LOG: ytdlpLog,
    FAKE_YTDLP_FAIL: undefined,
  });
  g.__influenceBinaries = undefined;
  await startApp();
  media = http.createServer((req, res) => {
    if (req.url === '/vlog.mp4') {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': fs.statSync(MP4).size });
      fs.createReadStream(MP4).pipe(res);
    } else if (req.url === '/moved') {
      res.writeHead(302, { location: '/vlog.mp4' }).end();
    } else if (req.url === '/notes.mp4') {
      res.writeHead(200, { 'content-type': 'video/mp4' }).end('this is not a video at all\n'.repeat(50));
    } else res.writeHead(404).end('missing');
  });
  await new Promise<void>((r) => media.listen(0, '127.0.0.1', r));
  mediaUrl = `http://127.0.0.1:${(media.address() as { port: number }).port}`;
});

after(async () => {
  await new Promise((r) => media?.close(r));
  await stopApp();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(ytdlpLog, { force: true });
});

function uploadRequest(parts: { file?: { name: string; data: Buffer; type?: string }; captions?: { name: string; text: string }; title?: string; description?: string }) {
  const form = new FormData();
  if (parts.file) form.append('file', new Blob([new Uint8Array(parts.file.data)], { type: parts.file.type ?? 'video/mp4' }), parts.file.name);
  if (parts.captions) form.append('captions', new Blob([parts.captions.text], { type: 'text/vtt' }), parts.captions.name);
  if (parts.title) form.append('title', parts.title);
  if (parts.description) form.append('description', parts.description);
  return new Request('http://app.test/api/v1/videos/upload', { method: 'POST', body: form });
}

const countVideos = async () => Number((await getPool().query('select count(*)::int as n from videos')).rows[0].n);
const mediaEntries = () => (fs.existsSync(path.join(dataDir, 'media')) ? fs.readdirSync(path.join(dataDir, 'media')) : []);
const tmpUploads = () => (fs.existsSync(path.join(dataDir, 'tmp', 'uploads')) ? fs.readdirSync(path.join(dataDir, 'tmp', 'uploads')) : []);
async function jobsFor(name: string, videoId: number | string): Promise<number> {
  const { rows } = await getPool().query(`select count(*)::int as n from pgboss.job where name = $1 and data->>'videoId' = $2`, [name, String(videoId)]);
  return rows[0].n;
}

test('upload of the 60 s vlog with Korean captions: probed, stored, queued; the same upload again is the same video', async () => {
  const res = await receiveUpload(
    uploadRequest({
      file: { name: 'vlog_roundlab_60s.mp4', data: fs.readFileSync(MP4) },
      captions: { name: 'vlog-ko.vtt', text: fs.readFileSync(VTT, 'utf8') },
      title: '아침 루틴 브이로그',
      description: '라운드랩 토너',
    }),
  );
  assert.equal(res.created, true);
  const v = res.video;
  assert.equal(v.sourceKind, 'upload');
  assert.equal(v.stage, 'queued');
  assert.equal(v.title, '아침 루틴 브이로그');
  assert.ok(Math.abs(v.durationSeconds! - 60) < 0.5, `duration ${v.durationSeconds}`);
  const row = (await findVideo(Number(v.id)))!;
  assert.equal(row.mediaPath, `${v.id}/source.mp4`);
  assert.equal(row.captionsPath, `${v.id}/captions.vtt`);
  assert.equal(fs.statSync(resolveMediaPath(row.mediaPath!)).size, fs.statSync(MP4).size);
  assert.match(fs.readFileSync(resolveMediaPath(row.captionsPath!), 'utf8'), /라운드랩 독도 토너/);
  assert.match(row.uploadHash!, /^[0-9a-f]{64}$/);
  assert.equal(await jobsFor('video.ingest', v.id), 1);
  assert.deepEqual(tmpUploads(), [], 'temp upload removed');

  const again = await receiveUpload(
    uploadRequest({ file: { name: 'other-name.mp4', data: fs.readFileSync(MP4) }, captions: { name: 'x.vtt', text: fs.readFileSync(VTT, 'utf8') } }),
  );
  assert.equal(again.created, false);
  assert.equal(again.video.id, v.id);
  // Without captions the speech must be recognised: a Gemini key here (with no way at all the upload is refused,
  // tests/integration/analyze-intake.test.ts).
  setEnv({ GEMINI_API_KEY: 'media-test-key' });
  const withoutCaptions = await receiveUpload(uploadRequest({ file: { name: 'vlog.mp4', data: fs.readFileSync(MP4) } })).finally(() =>
    setEnv({ GEMINI_API_KEY: undefined }),
  );
  assert.equal(withoutCaptions.created, true, 'file + other captions is another analysis');
  assert.notEqual(withoutCaptions.video.id, v.id);
  assert.equal((await findVideo(Number(withoutCaptions.video.id)))!.captionsPath, null);
  assert.equal(withoutCaptions.video.title, 'vlog', 'title defaults to the file name');

  // video.media sees the upload in place and moves it on, twice delivered → one move, one transcript job.
  await moveStage(Number(v.id), 'queued', 'media');
  await videoMedia.run({ videoId: v.id }, ctx);
  await videoMedia.run({ videoId: v.id }, ctx);
  const done = (await findVideo(Number(v.id)))!;
  assert.equal(done.stage, 'transcript');
  assert.equal(done.mediaPath, `${v.id}/source.mp4`);
  assert.equal(done.captionsPath, `${v.id}/captions.vtt`);
  assert.ok(Math.abs(done.durationSeconds! - 60) < 0.5);
  assert.ok('media' in done.timings);
  assert.equal(await jobsFor('video.transcript', v.id), 1);
});

test('a text file renamed .mp4 → invalid_media naming the file; no row, no file', async () => {
  const rows = await countVideos();
  const dirs = mediaEntries();
  await assert.rejects(
    receiveUpload(uploadRequest({ file: { name: 'notes.mp4', data: Buffer.from('그냥 텍스트 파일입니다.\n'.repeat(40)) } })),
    (e: unknown) => e instanceof InvalidMediaError && e.field === 'file' && e.mediaCode === 'invalid_media' && /"notes\.mp4"/.test(e.message) && /not (a video|a playable)|text file/.test(e.message),
  );
  assert.equal(await countVideos(), rows);
  assert.deepEqual(mediaEntries(), dirs);
  assert.deepEqual(tmpUploads(), []);
});

test('bad or missing input is refused before anything is stored', async () => {
  const rows = await countVideos();
  const dirs = mediaEntries();
  await assert.rejects(
    receiveUpload(uploadRequest({ file: { name: 'v.mp4', data: fs.readFileSync(MP4) }, captions: { name: 'c.vtt', text: 'WEBVTT\n\nnot a cue at all' } })),
    (e: unknown) => e instanceof DomainError && e.field === 'captions' && /captions/.test(e.message),
  );
  await assert.rejects(
    receiveUpload(uploadRequest({ file: { name: 'v.mp4', data: fs.readFileSync(MP4) }, captions: { name: 'c.txt', text: 'hello' } })),
    (e: unknown) => e instanceof DomainError && e.field === 'captions' && /\.vtt or \.srt/.test(e.message),
  );
  await assert.rejects(receiveUpload(uploadRequest({ title: 'no file' })), (e: unknown) => e instanceof DomainError && e.field === 'file');
  await assert.rejects(
    receiveUpload(uploadRequest({ file: { name: 'empty.mp4', data: Buffer.alloc(0) } })),
    (e: unknown) => e instanceof DomainError && e.field === 'file' && /empty/.test(e.message),
  );
  await assert.rejects(
    receiveUpload(uploadRequest({ file: { name: 'big.mp4', data: Buffer.alloc(6 * 1024 * 1024) } })),
    (e: unknown) => e instanceof DomainError && e.code === 'payload_too_large',
  );
  assert.equal(await countVideos(), rows);
  assert.deepEqual(mediaEntries(), dirs);
  assert.deepEqual(tmpUploads(), []);
});

test('media URLs pointing at loopback, private, link-local or metadata addresses are refused at submission', async () => {
  const rows = await countVideos();
  for (const url of [
    'http://127.0.0.1/video.mp4',
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost:8080/v.mp4',
    'http://10.0.0.5/v.mp4',
    'http://[::1]/v.mp4',
    'http://2130706433/v.mp4',
  ]) {
    await assert.rejects(submitVideoUrl(url), (e: unknown) => e instanceof DomainError && e.code === 'bad_request' && e.field === 'url' && /address/.test(e.message), url);
  }
  assert.equal(await countVideos(), rows);
});

test('YouTube via yt-dlp: ≤720p + Korean subs stored, duration probed, then transcript; run twice → same end state', async () => {
  fs.rmSync(ytdlpLog, { force: true });
  const { video } = await submitVideoUrl('https://www.youtube.com/watch?v=aqz-KE-bpKQ');
  const id = Number(video.id);
  await moveStage(id, 'queued', 'media');
  await videoMedia.run({ videoId: video.id }, ctx);
  await videoMedia.run({ videoId: video.id }, ctx);
  const v = (await findVideo(id))!;
  assert.equal(v.stage, 'transcript');
  assert.equal(v.mediaPath, `${id}/source.mp4`);
  assert.equal(v.captionsPath, `${id}/captions.vtt`);
  assert.ok(Math.abs(v.durationSeconds! - 60) < 0.5);
  assert.equal(v.title, 'Fake video aqz-KE-bpKQ', 'title from yt-dlp when the row had none');
  assert.ok(fs.existsSync(resolveMediaPath(v.mediaPath!)));
  assert.equal(fs.existsSync(path.join(dataDir, 'media', String(id), 'tmp')), false, 'tmp folder removed');
  const calls = fs.readFileSync(ytdlpLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l).argv as string[]);
  assert.equal(calls.length, 1, 'the second delivery downloads nothing');
  const argv = calls[0];
  assert.equal(argv[argv.indexOf('-f') + 1], 'bv*[height<=720]+ba/b[height<=720]');
  assert.equal(argv[argv.indexOf('--sub-langs') + 1], 'ko');
  assert.ok(argv.includes('--write-auto-subs') && argv.includes('--merge-output-format'));
  assert.equal(await jobsFor('video.transcript', id), 1);
  const usage = await getPool().query(`select outcome from api_usage where provider = 'media' and operation = 'yt-dlp' and video_id = $1`, [id]);
  assert.deepEqual(usage.rows.map((r) => r.outcome), ['ok']);
});

test('yt-dlp failure → failed with media_unavailable and the reason; retry re-sends video.media and then succeeds', async () => {
  setEnv({ FAKE_YTDLP_FAIL: '1' });
  const { video } = await submitVideoUrl('https://youtu.be/dQw4w9WgXcQ');
  const id = Number(video.id);
  await moveStage(id, 'queued', 'media');
  await videoMedia.run({ videoId: video.id }, ctx);
  let v = (await findVideo(id))!;
  assert.equal(v.stage, 'failed');
  assert.equal(v.failedStage, 'media');
  assert.equal(v.errorCode, 'media_unavailable');
  assert.match(v.errorMessage!, /Video unavailable/);
  assert.equal(v.mediaPath, null);
  assert.deepEqual(fs.readdirSync(path.join(dataDir, 'media', String(id))), [], 'nothing half-written');

  await assert.rejects(retryVideo('999999'), (e: unknown) => e instanceof DomainError && e.code === 'not_found');
  setEnv({ FAKE_YTDLP_FAIL: undefined });
  const before = await jobsFor('video.media', id);
  const retried = await retryVideo(String(id));
  assert.equal(retried.stage, 'media');
  assert.equal(retried.error, null);
  assert.equal(await jobsFor('video.media', id), before + 1);
  await assert.rejects(retryVideo(String(id)), (e: unknown) => e instanceof DomainError && e.code === 'invalid_transition');
  await videoMedia.run({ videoId: video.id }, ctx);
  v = (await findVideo(id))!;
  assert.equal(v.stage, 'transcript');
  assert.equal(v.attempts, 1);
});

test('no yt-dlp → media_unavailable "yt-dlp is not installed (set YTDLP_PATH)"', async () => {
  const { video } = await submitVideoUrl('https://www.youtube.com/watch?v=M7lc1UVf-VE');
  await moveStage(Number(video.id), 'queued', 'media');
  g.__influenceBinaries = { ...g.__influenceBinaries, 'yt-dlp': undefined };
  try {
    await videoMedia.run({ videoId: video.id }, ctx);
  } finally {
    g.__influenceBinaries = undefined;
  }
  const v = (await findVideo(Number(video.id)))!;
  assert.equal(v.stage, 'failed');
  assert.equal(v.errorCode, 'media_unavailable');
  assert.equal(v.errorMessage, 'yt-dlp is not installed (set YTDLP_PATH)');
});

test('direct media URL: downloaded through redirects, probed and stored; a text body is invalid_media', async () => {
  setEnv({ ALLOW_PRIVATE_URLS: '1' });
  try {
    const { video } = await submitVideoUrl(`${mediaUrl}/moved`);
    assert.equal(video.sourceKind, 'url');
    await moveStage(Number(video.id), 'queued', 'media');
    await videoMedia.run({ videoId: video.id }, ctx);
    const v = (await findVideo(Number(video.id)))!;
    assert.equal(v.stage, 'transcript');
    assert.equal(v.mediaPath, `${video.id}/source.mp4`);
    assert.equal(v.captionsPath, null);
    assert.ok(Math.abs(v.durationSeconds! - 60) < 0.5);

    const bad = await submitVideoUrl(`${mediaUrl}/notes.mp4`);
    await moveStage(Number(bad.video.id), 'queued', 'media');
    await videoMedia.run({ videoId: bad.video.id }, ctx);
    const b = (await findVideo(Number(bad.video.id)))!;
    assert.equal(b.stage, 'failed');
    assert.equal(b.errorCode, 'invalid_media');
    assert.equal(b.mediaPath, null);
    assert.deepEqual(fs.readdirSync(path.join(dataDir, 'media', String(b.id))), []);

    const gone = await submitVideoUrl(`${mediaUrl}/missing.mp4`);
    await moveStage(Number(gone.video.id), 'queued', 'media');
    await videoMedia.run({ videoId: gone.video.id }, ctx);
    const m = (await findVideo(Number(gone.video.id)))!;
    assert.equal(m.errorCode, 'media_unavailable');
    assert.match(m.errorMessage!, /HTTP 404/);
  } finally {
    setEnv({ ALLOW_PRIVATE_URLS: undefined });
  }
  // With the guard on, the same server is refused again at download time (a row created while it was allowed).
  const [row] = await getDb().insert(videos).values({ sourceKind: 'url', sourceUrl: `${mediaUrl}/vlog.mp4?again`, stage: 'media' }).returning();
  await videoMedia.run({ videoId: String(row.id) }, ctx);
  const r = (await findVideo(row.id))!;
  assert.equal(r.stage, 'failed');
  assert.equal(r.errorCode, 'media_unavailable');
  assert.match(r.errorMessage!, /loopback/);
  await getDb().delete(videos).where(eq(videos.id, row.id));
});
