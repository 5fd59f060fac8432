/**
 * Issue 14, YouTube without a downloader, through the real server: with no yt-dlp, no Gemini key and no Whisper model
 * a YouTube URL is refused with a 422 `cannot_analyze` whose message is the Korean text the analyze form shows (what
 * to install or configure), and so is an upload without captions; nothing is stored. With a Gemini key the same URL
 * and upload are accepted (Gemini reads the URL, or transcribes the speech). Both servers run APP_ROLE=web: no job is
 * run, only the answers are checked.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';
import { sharedDir } from '../fakes/http';
import { INTAKE_REFUSALS } from '@/src/server/videos/intake-plan';

const TOKEN = 'analyze-intake-token-0123456789';
const MP4 = path.join(sharedDir(), 'models/fixtures/vlog_roundlab_60s.mp4');
const VTT = path.join(import.meta.dirname, '..', 'fixtures', 'upload', 'vlog-ko.vtt');
const auth = { authorization: `Bearer ${TOKEN}` };
const noModels = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-intake-models-'));
const cleanups: (() => Promise<unknown>)[] = [];
let bare: TestServer;
let withGemini: TestServer;

async function start(prefix: string, env: Record<string, string>): Promise<TestServer> {
  const db = await createTestDatabase(prefix);
  const server = await startServer({
    DATABASE_URL: db.url,
    API_TOKEN: TOKEN,
    ADMIN_EMAIL: 'intake@example.com',
    ADMIN_PASSWORD: 'intake-test-password',
    APP_ROLE: 'web',
    // no yt-dlp (a configured path that is not there counts as missing, whatever the PATH holds), no Whisper model
    YTDLP_PATH: path.join(noModels, 'yt-dlp'),
    MODELS_DIR: noModels,
    GEMINI_API_KEY: '',
    ...env,
  });
  cleanups.push(() => db.drop(), () => server.stop());
  return server;
}

before(async () => {
  bare = await start('intake', {});
  withGemini = await start('intakegem', { GEMINI_API_KEY: 'intake-gemini-key', GEMINI_BASE_URL: 'http://127.0.0.1:9' });
});
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  fs.rmSync(noModels, { recursive: true, force: true });
});

const submit = (server: TestServer, url: string) =>
  fetch(`${server.url}/api/v1/videos`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ url }) });

function uploadForm(captions: boolean, name = 'vlog.mp4') {
  const f = new FormData();
  f.append('file', new Blob([new Uint8Array(fs.readFileSync(MP4))], { type: 'video/mp4' }), name);
  if (captions) f.append('captions', new Blob([fs.readFileSync(VTT, 'utf8')], { type: 'text/vtt' }), 'vlog-ko.vtt');
  return f;
}
const upload = (server: TestServer, captions: boolean) => fetch(`${server.url}/api/v1/videos/upload`, { method: 'POST', headers: auth, body: uploadForm(captions) });
const videoCount = async (server: TestServer) => ((await (await fetch(`${server.url}/api/v1/videos?limit=100`, { headers: auth })).json()).items as unknown[]).length;
const mediaDirs = (server: TestServer) => (fs.existsSync(path.join(server.dataDir, 'media')) ? fs.readdirSync(path.join(server.dataDir, 'media')) : []);

test('no yt-dlp and no Gemini key: a YouTube URL is a 422 cannot_analyze with the Korean refusal; nothing is stored', async () => {
  for (const url of ['https://youtu.be/dQw4w9WgXcQ', 'https://www.youtube.com/watch?v=aqz-KE-bpKQ']) {
    const res = await submit(bare, url);
    assert.equal(res.status, 422, url);
    const body = await res.json();
    assert.deepEqual(body.error, { code: 'cannot_analyze', message: INTAKE_REFUSALS.youtube, field: 'url' });
  }
  assert.match(INTAKE_REFUSALS.youtube, /`yt-dlp`를 설치하거나.*`GEMINI_API_KEY`를 설정/);
  assert.equal(await videoCount(bare), 0);
  // a Shorts link is stored as skipped (never analysed), and a bad URL is still a 400 naming the field
  const shorts = await submit(bare, 'https://www.youtube.com/shorts/abcdefghijk');
  assert.equal(shorts.status, 202);
  assert.equal((await shorts.json()).video.stage, 'skipped');
  const bad = await submit(bare, 'ftp://x');
  assert.equal(bad.status, 400);
});

test('no speech recognition: an upload without captions is a 422 naming captions; with captions it is accepted', async () => {
  const count0 = await videoCount(bare);
  const res = await upload(bare, false);
  assert.equal(res.status, 422);
  assert.deepEqual((await res.json()).error, { code: 'cannot_analyze', message: INTAKE_REFUSALS.uploadWithoutCaptions, field: 'captions' });
  assert.equal(await videoCount(bare), count0, 'no row');
  assert.deepEqual(mediaDirs(bare), [], 'no file');
  assert.deepEqual(fs.existsSync(path.join(bare.dataDir, 'tmp', 'uploads')) ? fs.readdirSync(path.join(bare.dataDir, 'tmp', 'uploads')) : [], [], 'no temp file');

  const ok = await upload(bare, true);
  assert.equal(ok.status, 202, await ok.clone().text());
  assert.equal(await videoCount(bare), count0 + 1);
});

test('with a Gemini key the same YouTube URL and the upload without captions are accepted', async () => {
  const res = await submit(withGemini, 'https://youtu.be/dQw4w9WgXcQ');
  assert.equal(res.status, 202, await res.clone().text());
  assert.equal((await res.json()).video.youtubeId, 'dQw4w9WgXcQ');
  const up = await upload(withGemini, false);
  assert.equal(up.status, 202, await up.clone().text());
});
