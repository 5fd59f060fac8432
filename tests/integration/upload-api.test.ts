/**
 * The upload, retry and Sheets APIs through the real server (`scripts/start.ts`, real workers on real pg-boss):
 * multipart upload → 202 and the video moves past the media stage; a repeat → 200 with the same id; a text file renamed
 * .mp4 → 400 invalid_media with nothing stored; private media URLs → 400; retry of a failed download; Sheets without
 * credentials → 503 not_configured.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';
import { sharedDir } from '../fakes/http';
import { YTDLP_FAKE_PATH } from '../fakes/index';

const TOKEN = 'upload-api-token-0123456789';
const MP4 = path.join(sharedDir(), 'models/fixtures/vlog_roundlab_60s.mp4');
const VTT = path.join(import.meta.dirname, '..', 'fixtures', 'upload', 'vlog-ko.vtt');
const auth = { authorization: `Bearer ${TOKEN}` };
let server: TestServer;
let db: { url: string; drop(): Promise<void> };

before(async () => {
  db = await createTestDatabase('upload');
  server = await startServer({
    DATABASE_URL: db.url,
    API_TOKEN: TOKEN,
    ADMIN_EMAIL: 'upload@example.com',
    ADMIN_PASSWORD: 'upload-test-password',
    YTDLP_PATH: YTDLP_FAKE_PATH,
    FAKE_YTDLP_FAIL: '1',
    GOOGLE_SERVICE_ACCOUNT_JSON: '',
    SHEETS_SPREADSHEET_ID: '',
  });
});
after(async () => {
  await server?.stop();
  await db?.drop();
});

function form(parts: { file?: [Buffer, string]; captions?: [string, string]; title?: string }) {
  const f = new FormData();
  if (parts.file) f.append('file', new Blob([new Uint8Array(parts.file[0])], { type: 'video/mp4' }), parts.file[1]);
  if (parts.captions) f.append('captions', new Blob([parts.captions[0]], { type: 'text/vtt' }), parts.captions[1]);
  if (parts.title) f.append('title', parts.title);
  return f;
}
const upload = (body: FormData, headers: Record<string, string> = auth) =>
  fetch(`${server.url}/api/v1/videos/upload`, { method: 'POST', headers, body });
const getVideo = async (id: string) => (await fetch(`${server.url}/api/v1/videos/${id}`, { headers: auth })).json();
const listIds = async () => ((await (await fetch(`${server.url}/api/v1/videos?limit=100`, { headers: auth })).json()).items as { id: string }[]).map((v) => v.id);
const mediaDirs = () => {
  const dir = path.join(server.dataDir, 'media');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
};

async function waitFor(id: string, done: (v: { stage: string; timings: Record<string, number> }) => boolean, ms = 30_000) {
  const until = Date.now() + ms;
  let v = await getVideo(id);
  while (!done(v) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 300));
    v = await getVideo(id);
  }
  return v;
}

test('multipart upload of the 60 s vlog with captions → 202; the workers take it past the media stage; a repeat → 200', async () => {
  const res = await upload(form({ file: [fs.readFileSync(MP4), 'vlog_roundlab_60s.mp4'], captions: [fs.readFileSync(VTT, 'utf8'), 'vlog-ko.vtt'], title: '업로드 테스트' }));
  assert.equal(res.status, 202);
  const body = await res.json();
  assert.match(body.id, /^\d+$/);
  assert.equal(body.video.sourceKind, 'upload');
  assert.equal(body.video.title, '업로드 테스트');
  assert.ok(Math.abs(body.video.durationSeconds - 60) < 0.5);
  assert.ok(fs.existsSync(path.join(server.dataDir, 'media', body.id, 'source.mp4')));
  assert.ok(fs.existsSync(path.join(server.dataDir, 'media', body.id, 'captions.vtt')));

  const v = await waitFor(body.id, (x) => 'media' in x.timings || x.stage === 'failed');
  assert.ok('media' in v.timings, `the media stage finished (stage ${v.stage}, error ${JSON.stringify((v as { error?: unknown }).error)})`);

  const again = await upload(form({ file: [fs.readFileSync(MP4), 'copy.mp4'], captions: [fs.readFileSync(VTT, 'utf8'), 'again.vtt'] }));
  assert.equal(again.status, 200);
  assert.equal((await again.json()).id, body.id);
});

test('a text file renamed .mp4 → 400 invalid_media naming the file; no video, no file', async () => {
  const ids = await listIds();
  const dirs = mediaDirs();
  const res = await upload(form({ file: [Buffer.from('이것은 영상이 아닙니다.\n'.repeat(30)), 'notes.mp4'] }));
  assert.equal(res.status, 400);
  const { error } = await res.json();
  assert.equal(error.code, 'invalid_media');
  assert.equal(error.field, 'file');
  assert.match(error.message, /notes\.mp4/);
  assert.deepEqual(await listIds(), ids);
  assert.deepEqual(mediaDirs(), dirs);

  const badCaptions = await upload(form({ file: [fs.readFileSync(MP4), 'v.mp4'], captions: ['WEBVTT\n\nno cues', 'c.vtt'] }));
  assert.equal(badCaptions.status, 400);
  assert.equal((await badCaptions.json()).error.field, 'captions');
  const noFile = await upload(form({ title: 'x' }));
  assert.equal(noFile.status, 400);
  assert.equal((await noFile.json()).error.field, 'file');
  const anonymous = await upload(form({ file: [fs.readFileSync(MP4), 'v.mp4'] }), {});
  assert.equal(anonymous.status, 401);
  assert.deepEqual(await listIds(), ids);
});

test('media URLs resolving to loopback or the metadata address are refused with 400', async () => {
  for (const url of ['http://127.0.0.1:9/v.mp4', 'http://169.254.169.254/latest/meta-data/', 'http://localhost/v.mp4']) {
    const res = await fetch(`${server.url}/api/v1/videos`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ url }) });
    assert.equal(res.status, 400, url);
    const { error } = await res.json();
    assert.equal(error.field, 'url');
    assert.match(error.message, /address/);
  }
});

test('a YouTube video whose download fails is failed with media_unavailable; retry sends it back to media', async () => {
  const res = await fetch(`${server.url}/api/v1/videos`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ url: 'https://youtu.be/dQw4w9WgXcQ' }) });
  const { id } = await res.json();
  const failed = await waitFor(id, (x) => x.stage === 'failed');
  assert.equal(failed.stage, 'failed');
  assert.equal(failed.error.code, 'media_unavailable');
  assert.match(failed.error.message, /Video unavailable/);

  const retry = await fetch(`${server.url}/api/v1/videos/${id}/retry`, { method: 'POST', headers: auth });
  assert.equal(retry.status, 202);
  const retried = await retry.json();
  assert.equal(retried.id, id);
  assert.ok(['media', 'failed'].includes(retried.video.stage));
  assert.equal(retried.video.error, null);
  const notFailed = await fetch(`${server.url}/api/v1/videos/${id}/retry`, { method: 'POST', headers: auth });
  assert.ok([202, 409].includes(notFailed.status));
  const missing = await fetch(`${server.url}/api/v1/videos/987654/retry`, { method: 'POST', headers: auth });
  assert.equal(missing.status, 404);
});

test('Sheets sync without credentials → 503 not_configured naming the variables', async () => {
  const res = await fetch(`${server.url}/api/v1/sheets/sync`, { method: 'POST', headers: auth });
  assert.equal(res.status, 503);
  const { error } = await res.json();
  assert.equal(error.code, 'not_configured');
  assert.match(error.message, /GOOGLE_SERVICE_ACCOUNT_JSON/);
  const status = await (await fetch(`${server.url}/api/v1/sheets/sync`, { headers: auth })).json();
  assert.equal(status.configured, false);
  assert.deepEqual(status.missing, ['GOOGLE_SERVICE_ACCOUNT_JSON', 'SHEETS_SPREADSHEET_ID']);
});
