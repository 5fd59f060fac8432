import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini/server';
import { setEnv } from '../helpers/env';
import { candidatesOf, insertFixtureVideo, waitForStage } from '../helpers/pipeline';

/** The fixture vlog with the fake Gemini: LLM windows and synthesis, retries, and a malformed answer. */
let db: { url: string; drop(): Promise<void> };
let app: typeof import('@/src/start');
let gemini: GeminiFake;
let dataDir: string;

const synthesisAnswer = {
  is_product_recommendation: true,
  product_name: '라운드랩 1025 독도 토너',
  category_path: '뷰티 > 스킨케어 > 토너',
  features: ['요즘 진짜 잘 쓰는 제품'],
  hook_sentence: '요즘 진짜 잘 쓰는 토너',
  summary_for_caption: '아침 루틴에 쓰는 라운드랩 독도 토너.',
  target_audience: ['스킨케어 입문자'],
  price_point: '중가',
  endorsement_type: '명시적 추천',
  recommended_titles: ['요즘 매일 쓰는 토너', '아침 루틴 토너 추천', '라운드랩 독도 토너 후기'],
  recommended_hashtags: ['#라운드랩', '#독도토너', '#토너추천', '#스킨케어', '#아침루틴', '#셀럽템', '#뷰티', '#데일리'],
  ppl: { is_ppl: false, confidence: 0.1, reason: '내돈내산 언급' },
};

before(async () => {
  db = await createTestDatabase('pgem');
  gemini = await startGeminiFake({ apiKey: 'gemini-test-key', retryDelay: '1s' });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-pipeline-gemini-'));
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    VISUAL_FRAMES_PER_WINDOW: '3',
    GEMINI_API_KEY: 'gemini-test-key',
    GEMINI_BASE_URL: gemini.url,
    GEMINI_MODEL: 'gemini-test-model',
  });
  for (const k of ['COUPANG_ACCESS_KEY', 'COUPANG_SECRET_KEY', 'APP_ROLE', 'WORKER_QUEUES']) delete process.env[k];
  (await import('@/src/server/config')).resetConfig();
  (await import('@/src/server/integrations/policy')).configureProvider('gemini', { backoffInitialMs: 100, backoffMaxMs: 500 });
  app = await import('@/src/start');
  await app.startApp();
});

after(async () => {
  await (await import('@/src/models/ocr')).closeOcr();
  await app?.stopApp();
  await gemini?.close();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('LLM windows and synthesis: retries 429/503/empty MAX_TOKENS; the prompt holds the transcript span and OCR text', { timeout: 300_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  gemini.rateLimitNext('1s');
  gemini.failNext(503);
  gemini.replyMaxTokensEmpty();
  gemini.reply({ windows: [{ start: 19, end: 30, reason: '제품 소개: 요즘 잘 쓰는 토너', confidence: 0.92 }] }, { usage: { promptTokenCount: 900, candidatesTokenCount: 60 } });
  gemini.reply(synthesisAnswer, { usage: { promptTokenCount: 2400, candidatesTokenCount: 400 } });

  const videoId = await insertFixtureVideo();
  await enqueue('video.transcript', { videoId: String(videoId) });
  const video = await waitForStage(videoId, ['done', 'failed']);
  assert.equal(video.stage, 'done', `video failed: ${video.errorMessage}`);
  assert.equal(gemini.pending(), 0, 'every scripted answer was used');

  const calls = gemini.calls();
  const windowsCall = calls.at(-2)!;
  assert.equal(windowsCall.model, 'gemini-test-model');
  assert.equal(windowsCall.body.generationConfig.responseMimeType, 'application/json');
  assert.ok(windowsCall.body.generationConfig.responseSchema, 'a response schema is sent');
  assert.match(windowsCall.prompt, /라운드랩 독도 토너예요/);
  const synth = calls.at(-1)!;
  assert.match(synth.prompt, /제가 요즘 진짜 잘 쓰는 게 있는데 라운드랩 독도 토너예요/, 'transcript span in the synthesis request');
  assert.match(synth.prompt, /ROUND LAB/, 'OCR text in the synthesis request');
  assert.doesNotMatch(synth.prompt, /안녕하세요 여러분/, 'only the window span is sent');
  const parts = synth.body.contents[0].parts as { inlineData?: { mimeType: string } }[];
  assert.ok(parts.some((p) => p.inlineData?.mimeType === 'image/jpeg'), 'best frames sent as images');

  const [c, ...rest] = await candidatesOf(videoId);
  assert.equal(rest.length, 0);
  assert.equal(c.productNameAi, '라운드랩 1025 독도 토너');
  assert.equal(c.analysisMethod, 'llm');
  assert.equal(c.categoryPath, '뷰티 > 스킨케어 > 토너');
  assert.equal(c.clipStartTime, 19);
  // Gemini's window ends at 30 s; the card is still on screen a frame later, and the clip follows it.
  assert.ok(c.clipEndTime >= 30 && c.clipEndTime <= 30.5, `clip end ${c.clipEndTime}`);
  assert.ok(c.pplReasons.some((r) => r.source === 'llm'));
  const windows = await getDb().select().from(schema.windows).where(eq(schema.windows.videoId, videoId));
  assert.deepEqual(windows.map((w) => w.method), ['llm']);

  const usage = await getDb().select().from(schema.apiUsage).where(and(eq(schema.apiUsage.provider, 'gemini'), eq(schema.apiUsage.videoId, videoId)));
  assert.ok(usage.length >= 5, `one usage row per attempt, got ${usage.length}`);
  const ok = usage.filter((u) => u.outcome === 'ok' && u.inputTokens > 0);
  assert.ok(ok.some((u) => u.operation === 'synthesize_candidate' && u.inputTokens === 2400 && u.outputTokens === 400 && Number(u.costUsd) > 0));
  assert.ok(usage.some((u) => u.outcome === 'error' && u.httpStatus === 429));
  const { usageOfVideo } = await import('@/src/server/ops/usage');
  const summary = await usageOfVideo(videoId);
  const synthUsage = summary.find((s) => s.provider === 'gemini' && s.operation === 'synthesize_candidate')!;
  assert.equal(synthUsage.inputTokens, 2400);
  assert.ok(synthUsage.costUsd > 0);
  assert.ok(summary.find((s) => s.operation === 'find_windows')!.errors >= 2, '429 and 503 counted');
});

test('a malformed answer is retried, then the stage fails clearly and no partial candidate exists', { timeout: 300_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  gemini.reply({ windows: [{ start: 19, end: 30, reason: '제품 소개', confidence: 0.9 }] });
  gemini.replyMalformed('{"is_product_recommendation": tru');
  gemini.reply({ is_product_recommendation: true, product_name: 'x' }); // valid JSON, wrong shape
  gemini.replyMalformed('죄송합니다, JSON을 만들 수 없습니다');
  const before = gemini.calls().length;
  const videoId = await insertFixtureVideo({ title: '두 번째 브이로그' });
  await enqueue('video.transcript', { videoId: String(videoId) });
  const video = await waitForStage(videoId, ['done', 'failed']);
  assert.equal(video.stage, 'failed');
  assert.equal(video.failedStage, 'synthesize');
  assert.equal(video.errorCode, 'upstream_failed');
  assert.match(video.errorMessage ?? '', /no valid answer after 3 attempts/);
  assert.equal(gemini.calls().length - before, 4, 'windows once, synthesis three times');
  assert.equal((await candidatesOf(videoId)).length, 0, 'no partial candidate');
  const windows = await getDb().select().from(schema.windows).where(eq(schema.windows.videoId, videoId));
  assert.equal(windows[0].stage, 'failed');
});

test('no captions: Gemini transcribes the audio (inline Opus); zero windows is a valid done', { timeout: 300_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  gemini.reply({ segments: [{ start: 2, end: 8, text: '안녕하세요 여러분. 오늘은 제 아침 스킨케어 루틴을 보여드릴게요.' }] });
  gemini.reply({ windows: [] });
  const videoId = await insertFixtureVideo({ captions: false, title: '자막 없는 브이로그' });
  await enqueue('video.transcript', { videoId: String(videoId) });
  const video = await waitForStage(videoId, ['done', 'failed']);
  assert.equal(video.stage, 'done', `video failed: ${video.errorMessage}`);
  assert.equal(video.progress, 1);
  const [t] = await getDb().select().from(schema.transcripts).where(eq(schema.transcripts.videoId, videoId));
  assert.equal(t.source, 'gemini_audio');
  assert.equal(t.segments.length, 1);
  const transcribe = gemini.calls().at(-2)!;
  const audio = (transcribe.body.contents[0].parts as { inlineData?: { mimeType: string; data: string } }[]).find((p) => p.inlineData);
  assert.equal(audio?.inlineData?.mimeType, 'audio/ogg');
  assert.ok((audio?.inlineData?.data.length ?? 0) > 10_000, 'the audio itself is sent');
  assert.equal((await candidatesOf(videoId)).length, 0);
});

test('long audio goes to Gemini in overlapping pieces on the video clock; a retry does not pay again for finished pieces', { timeout: 300_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  const { retryVideo } = await import('@/src/server/videos/retry');
  const { mediaPaths } = await import('@/src/server/media/paths');
  setEnv({ GEMINI_AUDIO_PIECE_SEC: '25' }); // the 60 s fixture → pieces 0–35, 25–60, 50–60 s
  try {
    const before = gemini.calls().length;
    // piece 1 (0–35 s): the 31 s line lies in the overlap with piece 2, past its midpoint (30 s) → piece 2 owns it
    gemini.reply({ segments: [{ start: 2, end: 8, text: '안녕하세요 여러분.' }, { start: 21, end: 26, text: '라운드랩 독도 토너예요.' }, { start: 31, end: 33, text: '잘린 문장' }] });
    gemini.failNext(400); // piece 2 fails for good: the video fails at transcript
    const videoId = await insertFixtureVideo({ captions: false, title: '긴 오디오' });
    await enqueue('video.transcript', { videoId: String(videoId) });
    const failed = await waitForStage(videoId, ['failed', 'done']);
    assert.equal(failed.stage, 'failed');
    assert.equal(failed.failedStage, 'transcript');
    assert.match(failed.errorMessage ?? '', /HTTP 400: Invalid JSON payload received/, 'the failure carries Gemini\'s own explanation');
    const pieces = fs.readdirSync(mediaPaths.speech(videoId)).filter((f) => f.endsWith('.ogg'));
    assert.equal(pieces.length, 3, pieces.join(', '));

    // piece 2 (25–60 s) times are its own: 6 s → 31 s, 15 s → 40 s; its 4 s line (29 s) belongs to piece 1's half
    gemini.reply({ segments: [{ start: 4, end: 5, text: '겹친 앞부분' }, { start: 6, end: 8, text: '피부가 진짜 촉촉해져요.' }, { start: 15, end: 18, text: '강력 추천합니다.' }] });
    gemini.reply({ segments: [] }); // piece 3 (50–60 s): silence
    gemini.reply({ windows: [] });
    await retryVideo(String(videoId));
    const video = await waitForStage(videoId, ['done', 'failed']);
    assert.equal(video.stage, 'done', `video failed: ${video.errorMessage}`);

    const transcribe = gemini.calls().slice(before).filter((c) => c.body.contents[0].parts.some((p: { inlineData?: unknown }) => p.inlineData));
    assert.equal(transcribe.length, 4, 'piece 1 once (its answer was kept), piece 2 twice, piece 3 once');
    const [t] = await getDb().select().from(schema.transcripts).where(eq(schema.transcripts.videoId, videoId));
    assert.equal(t.source, 'gemini_audio');
    assert.deepEqual(
      t.segments.map((x) => [x.start, x.text]),
      [[2, '안녕하세요 여러분.'], [21, '라운드랩 독도 토너예요.'], [31, '피부가 진짜 촉촉해져요.'], [40, '강력 추천합니다.']],
    );
    assert.ok(!fs.existsSync(mediaPaths.speech(videoId)), 'the pieces are removed once the transcript is stored');
  } finally {
    setEnv({ GEMINI_AUDIO_PIECE_SEC: undefined });
  }
});

test('a YouTube video whose media is unavailable is transcribed by Gemini from its URL and still analysed', { timeout: 300_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  const [v] = await getDb()
    .insert(schema.videos)
    .values({ sourceKind: 'youtube', youtubeId: 'AbCdEfGhIjK', sourceUrl: 'https://www.youtube.com/watch?v=AbCdEfGhIjK', title: '유튜브 브이로그', stage: 'failed', failedStage: 'media', errorCode: 'media_unavailable', errorMessage: 'yt-dlp: blocked' })
    .returning();
  gemini.reply({ segments: [{ start: 21, end: 26, text: '제가 요즘 진짜 잘 쓰는 게 있는데 라운드랩 독도 토너예요.' }] });
  gemini.reply({ windows: [{ start: 19, end: 30, reason: '제품 소개', confidence: 0.9 }] });
  gemini.replyVideoClip({ on_screen_text: [], products: [] }); // the window's visual evidence: Gemini sees nothing
  gemini.reply(synthesisAnswer);
  await enqueue('video.transcript', { videoId: String(v.id) });
  const video = await waitForStage(v.id, ['done'], 120_000);
  assert.equal(video.errorCode, null);
  const [t] = await getDb().select().from(schema.transcripts).where(eq(schema.transcripts.videoId, v.id));
  assert.equal(t.source, 'gemini_url');
  const first = gemini.calls().at(-4)!;
  assert.deepEqual(first.video, { fileUri: 'https://www.youtube.com/watch?v=AbCdEfGhIjK', mimeType: 'video/*' }, 'the whole video, no offsets');
  assert.equal(gemini.videoClipCalls().at(-1)?.video?.startOffset, '19s', 'then each window is watched for visual evidence');
  const [c] = await candidatesOf(v.id);
  assert.equal(c.productNameAi, '라운드랩 1025 독도 토너');
  assert.equal(c.videoUrl, 'https://www.youtube.com/watch?v=AbCdEfGhIjK');
  assert.equal(c.evidence?.cropPath, null, 'no media, no frames');
});

test('YouTube URL whose download fails (yt-dlp: unavailable) → media_unavailable → Gemini reads the URL → done', { timeout: 300_000 }, async () => {
  const { YTDLP_FAKE_PATH } = await import('../fakes/index');
  const { submitVideoUrl } = await import('@/src/server/videos');
  Object.assign(process.env, { YTDLP_PATH: YTDLP_FAKE_PATH, FAKE_YTDLP_FAIL: '1' });
  (await import('@/src/server/config')).resetConfig();
  try {
    gemini.reply({ segments: [{ start: 40, end: 45, text: '피부가 진짜 촉촉해져요. 강력 추천합니다.' }] });
    gemini.reply({ windows: [] });
    const { video } = await submitVideoUrl('https://youtu.be/ZyXwVuTsRqP');
    const done = await waitForStage(Number(video.id), ['done'], 120_000);
    assert.equal(done.errorCode, null);
    const { getDb, schema } = await import('@/src/server/db');
    const [t] = await getDb().select().from(schema.transcripts).where(eq(schema.transcripts.videoId, done.id));
    assert.equal(t.source, 'gemini_url');
  } finally {
    delete process.env.FAKE_YTDLP_FAIL;
    delete process.env.YTDLP_PATH;
    (await import('@/src/server/config')).resetConfig();
  }
});
