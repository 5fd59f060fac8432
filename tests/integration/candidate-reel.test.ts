import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { startNoKeyApp } from '../helpers/no-key-app';
import { candidatesOf, insertFixtureVideo, waitForStage } from '../helpers/pipeline';

/**
 * Issue 16: the Reel draft of the fixture vlog's ROUND LAB candidate (analysed with its captions and no keys, through
 * the real queue and workers), rendered by candidate.reel after approval and read back with ffprobe, pixels and the
 * project's own product-box reading (OCR + detector → productBox) on the rendered frames; the API's 409/202/200/GET.
 */
const TOKEN = 'reel-api-token-0123456789abcdef';
let app: Awaited<ReturnType<typeof startNoKeyApp>>;

before(async () => {
  app = await startNoKeyApp('reel', { API_TOKEN: TOKEN });
});

after(async () => {
  await app?.stop();
});

const auth = { authorization: `Bearer ${TOKEN}` };
const ctx = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });

async function reelApi(method: 'GET' | 'POST', id: number) {
  const route = await import('@/app/api/v1/candidates/[id]/reel/route');
  const res = await route[method](new Request(`http://127.0.0.1/api/v1/candidates/${id}/reel`, { method, headers: auth }), ctx(id));
  return { status: res.status, body: await res.json() };
}

async function waitForReel(id: number, until: (b: { status: string | null }) => boolean, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await reelApi('GET', id);
    if (until(body)) return body;
    if (Date.now() > end) throw new Error(`reel of candidate ${id} still ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function ffprobe(file: string) {
  const out = execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { encoding: 'utf8' });
  return JSON.parse(out) as { format: { duration: string }; streams: { codec_type: string; codec_name: string; width?: number; height?: number }[] };
}

/** The draft's frame at time t, as raw RGB. */
function frameAt(file: string, t: number): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-ss', String(t), '-i', file, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', 'pipe:1'], { maxBuffer: 64 << 20 });
}

/** Pixels of the subtitle band (above Instagram's buttons) that are the subtitles' black outline. */
async function outlinePixels(png: Buffer): Promise<number> {
  const { data } = await sharp(png).extract({ left: 80, top: 1340, width: 920, height: 240 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let i = 0; i < data.length; i += 3) if (data[i] < 40 && data[i + 1] < 40 && data[i + 2] < 40) n++;
  return n;
}

test('approved fixture candidate → 1080×1920 H.264/AAC draft of the clip, subtitles burned in, product inside the crop; API and reruns', { timeout: 240_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  const { resolveMediaPath } = await import('@/src/server/media/paths');
  const { transitionCandidate, updateCandidate } = await import('@/src/server/candidates');
  const videoId = await insertFixtureVideo();
  await enqueue('video.transcript', { videoId: String(videoId) });
  const video = await waitForStage(videoId, ['done', 'failed']);
  assert.equal(video.stage, 'done', `video failed: ${video.errorMessage}`);
  const [c] = await candidatesOf(videoId);
  assert.ok(c, 'the fixture yields its candidate');
  const clipLength = Math.min(60, c.clipEndTime - c.clipStartTime);

  // not approved: a clear 409, and GET says why there is no draft
  const early = await reelApi('POST', c.id);
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, 'conflict');
  assert.match(early.body.error.message, /approved/);
  const none = await reelApi('GET', c.id);
  assert.equal(none.status, 200);
  assert.equal(none.body.status, null);
  assert.equal(none.body.blocked.code, 'not_approved');

  // approving queues the draft by itself; asking again while it renders is 202 and sends nothing new
  const who = { userId: null, actor: 'test' };
  await transitionCandidate(c.id, { to: 'approved' }, who);
  const again = await reelApi('POST', c.id);
  assert.equal(again.status, 202, JSON.stringify(again.body));
  assert.ok(['queued', 'rendering'].includes(again.body.status));
  const ready = await waitForReel(c.id, (b) => b.status === 'ready' || b.status === 'failed');
  assert.equal(ready.status, 'ready', ready.error);
  assert.equal(ready.current, true);
  assert.equal(ready.width, 1080);
  assert.equal(ready.height, 1920);
  assert.ok(Math.abs(ready.durationSec - clipLength) <= 0.15, `draft ${ready.durationSec} s, clip ${clipLength} s`);
  const done = await reelApi('POST', c.id);
  assert.equal(done.status, 200, 'the current version’s draft exists');
  assert.equal(done.body.url, ready.url);

  // the file is served by the signed-in media route (tests/integration/candidates-api.test.ts: 401 without sign-in)
  assert.match(ready.url, /^\/api\/media\/\d+\/reels\/c\d+-v\d+\.mp4$/);
  const media = await import('@/app/api/media/[...path]/route');
  const stored = ready.url.replace('/api/media/', '');
  const served = await media.GET(new Request(`http://127.0.0.1${ready.url}`, { headers: auth }), { params: Promise.resolve({ path: stored.split('/') }) } as never);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get('content-type'), 'video/mp4');
  await served.body?.cancel();
  const file = resolveMediaPath(stored);
  const probe = ffprobe(file);
  const v = probe.streams.find((s) => s.codec_type === 'video')!;
  assert.equal(v.codec_name, 'h264');
  assert.equal(v.width, 1080);
  assert.equal(v.height, 1920);
  assert.ok(probe.streams.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac'), 'an AAC audio stream');
  const duration = Number(probe.format.duration);
  assert.ok(duration <= 60 && Math.abs(duration - clipLength) <= 0.15, `duration ${duration} = clip ${clipLength}`);

  // subtitles: while "라운드랩 독도 토너예요" is said (21–26 s) the band holds the text's outline; at 28 s (card still
  // on screen, nobody speaking) it does not
  const at = (sourceT: number) => sourceT - c.clipStartTime;
  assert.ok(at(21) >= 0 && at(29) < clipLength, `clip ${c.clipStartTime}–${c.clipEndTime} covers 21–29 s`);
  const spoken = await outlinePixels(frameAt(file, at(23.5)));
  const silent = await outlinePixels(frameAt(file, at(28.5)));
  assert.ok(spoken > 2000 && silent < spoken / 20, `subtitle outline pixels: ${spoken} while speaking, ${silent} after`);

  // the crop keeps the product card inside the frame: the project's own product box (OCR + detector → productBox),
  // read on the rendered frames, lies inside with room to spare and its words are whole
  const { readText } = await import('@/src/models/ocr');
  const { detectObjects } = await import('@/src/models/detector');
  const { productBox } = await import('@/src/server/visual');
  for (const t of [21.5, 25, 29]) {
    const half = await sharp(frameAt(file, at(t))).resize(540, 960).jpeg({ quality: 92 }).toBuffer();
    const [ocrLines, detections] = await Promise.all([readText(half), detectObjects(half, { scoreThreshold: 0.3 })]);
    const box = productBox({ ocrLines, detections });
    assert.ok(box, `a product box on the draft at ${t} s (OCR: ${ocrLines.map((l) => l.text).join(' | ')})`);
    assert.ok(box.x >= 8 && box.x + box.width <= 540 - 8 && box.y >= 8 && box.y + box.height <= 960 - 8, `box ${JSON.stringify(box)} inside 540×960 at ${t} s`);
    const text = ocrLines.map((l) => l.text).join(' ');
    assert.match(text, /ROUND\s*LAB/i, `the brand is whole at ${t} s: ${text}`);
    assert.match(text, /DOKDO\s*TONER/i, `the product line is whole at ${t} s: ${text}`);
  }

  // the end card: the frame is dimmed under the disclosure
  const mean = async (png: Buffer) => (await sharp(png).stats()).channels.slice(0, 3).reduce((s, ch) => s + ch.mean, 0) / 3;
  assert.ok((await mean(frameAt(file, clipLength - 0.5))) < 0.75 * (await mean(frameAt(file, at(35)))), 'the end card darkens the last seconds');

  // idempotent: the step run again (a retried job) renders nothing and leaves the file and row as they were
  const { renderReelStep } = await import('@/src/server/reels');
  const before = fs.statSync(file).mtimeMs;
  const [row] = await getDb().select().from(schema.candidateReels).where(eq(schema.candidateReels.candidateId, c.id));
  await renderReelStep(c.id);
  assert.equal(fs.statSync(file).mtimeMs, before);
  const [rowAgain] = await getDb().select().from(schema.candidateReels).where(eq(schema.candidateReels.candidateId, c.id));
  assert.deepEqual(rowAgain, row);

  // renaming the product makes the draft stale; re-render gives the new version's file and drops the old one
  const [fresh] = await candidatesOf(videoId);
  await updateCandidate(c.id, { version: fresh.version, product_name_manual: '라운드랩 1025 독도 토너' }, who);
  const stale = await reelApi('GET', c.id);
  assert.equal(stale.body.status, 'ready');
  assert.equal(stale.body.current, false, 'a renamed product makes the draft stale');
  const rerender = await reelApi('POST', c.id);
  assert.equal(rerender.status, 202);
  const second = await waitForReel(c.id, (b) => (b.status === 'ready' && (b as { current?: boolean }).current === true) || b.status === 'failed');
  assert.equal(second.status, 'ready', second.error);
  assert.notEqual(second.url, ready.url, 'one file per candidate version');
  assert.ok(!fs.existsSync(file), 'the stale draft is removed');
  assert.ok(fs.existsSync(resolveMediaPath(second.url.replace('/api/media/', ''))));
  assert.ok(fs.readdirSync(path.dirname(file)).length === 1);
});

test('a video whose media could not be downloaded: POST says so plainly (409), GET names the reason', { timeout: 60_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const [video] = await getDb()
    .insert(schema.videos)
    .values({
      sourceKind: 'youtube',
      youtubeId: 'reelNoMedia1',
      title: 'no media',
      stage: 'done',
      errorCode: 'media_unavailable',
      errorMessage: 'yt-dlp: Sign in to confirm you are not a bot',
    })
    .returning();
  const [c] = await getDb()
    .insert(schema.candidates)
    .values({ videoId: video.id, productKey: 'reel-no-media', clipStartTime: 10, clipEndTime: 20, currentStatus: 'approved' })
    .returning();
  const post = await reelApi('POST', c.id);
  assert.equal(post.status, 409);
  assert.match(post.body.error.message, /media could not be downloaded/);
  assert.match(post.body.error.message, /not a bot/);
  const get = await reelApi('GET', c.id);
  assert.equal(get.body.blocked.code, 'no_media');
  assert.equal(get.body.status, null);
  const missing = await reelApi('GET', 999_999_999);
  assert.equal(missing.status, 404);
});
