import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { setEnv } from '../helpers/env';
import { startGeminiFake, type GeminiFake, type GenerateCall } from '../fakes/gemini/server';
import { candidatesOf, waitForStage } from '../helpers/pipeline';

/**
 * No-download visual path: a YouTube video whose media could not be downloaded is transcribed by Gemini from its URL,
 * and each recommendation window's visual evidence comes from Gemini watching that interval of the URL (a video part
 * with start/end offsets). The fake Gemini answers the clip requests from their own script.
 */
let db: { url: string; drop(): Promise<void> };
let app: typeof import('@/src/start');
let gemini: GeminiFake;
let dataDir: string;

const speech = '제가 요즘 진짜 잘 쓰는 이어폰이 있는데 이거예요. 노이즈 캔슬링이 진짜 좋아요. 강력 추천합니다.';
const segments = [{ start: 21, end: 29, text: speech }, { start: 40, end: 44, text: '오늘 영상은 여기까지예요.' }];
const onScreen = { on_screen_text: ['SONY', 'WF-1000XM5'], products: [{ name: 'WF-1000XM5', brand: 'SONY', where: '손에 든 이어폰 케이스' }] };

/** The lines of the synthesis prompt's on-screen text section ("(없음)" when there were none). */
function promptOcrLines(call: GenerateCall): string[] {
  const section = /화면 글자 \(OCR\):\n([\s\S]*?)\n\n/.exec(call.prompt)?.[1] ?? '';
  return section.split('\n').filter((l) => l && l !== '(없음)');
}

/** A synthesis answer that names the product from the on-screen text it was given, as a careful model would. */
const synthesisFromPrompt = (call: GenerateCall) => {
  const lines = promptOcrLines(call);
  return {
    is_product_recommendation: true,
    product_name: lines.length ? lines.join(' ') : '확인 필요',
    category_path: '디지털 > 음향기기 > 이어폰',
    features: ['노이즈 캔슬링이 진짜 좋아요'],
    hook_sentence: '요즘 진짜 잘 쓰는 이어폰',
    summary_for_caption: '노이즈 캔슬링이 좋은 이어폰.',
    target_audience: ['출퇴근 음악 감상'],
    price_point: '프리미엄',
    endorsement_type: '명시적 추천',
    recommended_titles: ['요즘 매일 쓰는 이어폰', '노캔 이어폰 추천', '이어폰 후기'],
    recommended_hashtags: ['#이어폰', '#노이즈캔슬링', '#추천', '#셀럽템', '#음향', '#데일리', '#출근길', '#리뷰'],
    ppl: { is_ppl: false, confidence: 0.1, reason: '협찬 언급 없음' },
  };
};

before(async () => {
  db = await createTestDatabase('pgvid');
  gemini = await startGeminiFake({ apiKey: 'gemini-test-key', retryDelay: '1s' });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-pipeline-gemini-video-'));
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    GEMINI_API_KEY: 'gemini-test-key',
    GEMINI_BASE_URL: gemini.url,
    GEMINI_MODEL: 'gemini-test-model',
  });
  for (const k of ['COUPANG_ACCESS_KEY', 'COUPANG_SECRET_KEY', 'APP_ROLE', 'WORKER_QUEUES', 'YTDLP_PATH']) delete process.env[k];
  (await import('@/src/server/config')).resetConfig();
  (await import('@/src/server/integrations/policy')).configureProvider('gemini', { backoffInitialMs: 100, backoffMaxMs: 500 });
  app = await import('@/src/start');
  await app.startApp();
});

after(async () => {
  await app?.stopApp();
  await gemini?.close();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A YouTube video as the media stage leaves it when the download failed. */
async function insertUndownloadableVideo(youtubeId: string) {
  const { getDb, schema } = await import('@/src/server/db');
  const [v] = await getDb()
    .insert(schema.videos)
    .values({ sourceKind: 'youtube', youtubeId, sourceUrl: `https://www.youtube.com/watch?v=${youtubeId}`, title: '출근길 브이로그', stage: 'failed', failedStage: 'media', errorCode: 'media_unavailable', errorMessage: 'yt-dlp: blocked' })
    .returning();
  return v;
}

/** Waits until the video is done, or failed again past the media stage it started from. */
async function waitUntilAnalysed(videoId: number) {
  const { getDb, schema } = await import('@/src/server/db');
  const until = Date.now() + 120_000;
  for (;;) {
    const [v] = await getDb().select().from(schema.videos).where(eq(schema.videos.id, videoId));
    if (v.stage === 'done' || (v.stage === 'failed' && v.failedStage !== 'media')) return v;
    if (Date.now() > until) throw new Error(`video ${videoId} still ${v.stage} (${v.errorMessage ?? ''})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function windowsOf(videoId: number) {
  const { getDb, schema } = await import('@/src/server/db');
  return getDb().select().from(schema.windows).where(eq(schema.windows.videoId, videoId)).orderBy(schema.windows.ordinal);
}

async function findingsOf(windowId: number) {
  const { getDb, schema } = await import('@/src/server/db');
  return getDb().select().from(schema.visualFindings).where(eq(schema.visualFindings.windowId, windowId));
}

/** Runs window.visual again for a window (as a redelivered job would) and waits until its chain is done again. */
async function rerunWindowVisual(windowId: number, set: Record<string, unknown> = {}) {
  const { getDb, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  await getDb().update(schema.windows).set({ stage: 'visual', ...set }).where(eq(schema.windows.id, windowId));
  await enqueue('window.visual', { windowId: String(windowId) });
  const until = Date.now() + 60_000;
  for (;;) {
    const [w] = await getDb().select().from(schema.windows).where(eq(schema.windows.id, windowId));
    if (w.stage === 'done' || w.stage === 'failed') return w;
    if (Date.now() > until) throw new Error(`window ${windowId} still ${w.stage}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

test('no media: Gemini watches each window of the YouTube URL; its on-screen text names the candidate; a rerun asks nothing again', { timeout: 300_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  const { windowVideoResponseSchema } = await import('@/src/server/analysis/llm-window-video');
  const v = await insertUndownloadableVideo('SoNyWf1000X');
  const url = 'https://www.youtube.com/watch?v=SoNyWf1000X';
  gemini.reply({ segments });
  gemini.reply({ windows: [{ start: 19, end: 30.5, reason: '제품 소개: 요즘 잘 쓰는 이어폰', confidence: 0.9 }] });
  gemini.failNextVideoClip(503); // transient: retried
  gemini.replyVideoClip(onScreen, { usage: { promptTokenCount: 3100, candidatesTokenCount: 60 } });
  gemini.reply(synthesisFromPrompt);

  await enqueue('video.transcript', { videoId: String(v.id) });
  const video = await waitUntilAnalysed(v.id);
  assert.equal(video.stage, 'done', `video failed: ${video.errorMessage}`);
  assert.equal(gemini.pending(), 0, 'every scripted answer was used');

  // The request: the YouTube URL as a video part, the window's interval as offsets, a structured-output schema.
  const [win] = await windowsOf(v.id);
  const clips = gemini.videoClipCalls();
  assert.equal(clips.length, 2, 'the one window asked twice: a 503, then the answer');
  assert.deepEqual(clips[0].video, clips[1].video);
  const clip = clips[1];
  assert.deepEqual(clip.video, { fileUri: url, mimeType: 'video/*', startOffset: `${win.start}s`, endOffset: `${win.end}s` });
  assert.equal(clip.video?.startOffset, '19s');
  assert.equal(clip.video?.endOffset, '30.5s');
  assert.equal(clip.model, 'gemini-test-model');
  assert.equal(clip.body.generationConfig.responseMimeType, 'application/json');
  assert.deepEqual(clip.body.generationConfig.responseSchema, windowVideoResponseSchema);
  assert.match(clip.prompt, /on_screen_text/, 'the system instruction says what to report');

  // Stored like the frames' OCR: one frameless row at a time inside the window, engine gemini_video.
  const findings = await findingsOf(win.id);
  assert.equal(findings.length, 1);
  const f = findings[0];
  assert.ok(f.t >= win.start && f.t <= win.end, `t ${f.t} inside the window`);
  assert.equal(f.framePath, null);
  assert.equal(f.cropPath, null);
  assert.deepEqual(f.ocrLines, [
    { text: 'SONY', confidence: 0.9, engine: 'gemini_video' },
    { text: 'WF-1000XM5', confidence: 0.9, engine: 'gemini_video' },
  ]);
  assert.deepEqual(f.detections.map((d) => d.label), ['SONY WF-1000XM5']);
  assert.equal(win.visualEvidence?.source, 'gemini_video');
  assert.deepEqual(win.visualEvidence?.interval, { start: 19, end: 30.5 });
  assert.match(win.visualEvidence?.note ?? '', /Gemini가 YouTube 영상의 19–30\.5초 구간을 보고 화면 글자 2줄을 읽었습니다 · 본 제품: SONY WF-1000XM5 \(손에 든 이어폰 케이스\)/);

  // Synthesis read them as OCR evidence and the candidate is named from them.
  const synth = gemini.calls().at(-1)!;
  assert.deepEqual(promptOcrLines(synth), ['SONY', 'WF-1000XM5']);
  assert.match(synth.prompt, /감지된 물체: SONY WF-1000XM5 \(0\.90\)/);
  const [c, ...rest] = await candidatesOf(v.id);
  assert.equal(rest.length, 0);
  assert.match(c.productNameAi, /WF-1000XM5/);
  assert.deepEqual(c.evidence?.ocrLines, ['SONY', 'WF-1000XM5']);
  assert.deepEqual(c.evidence?.detections, ['SONY WF-1000XM5']);
  assert.equal(c.evidence?.cropPath, null);
  assert.deepEqual(c.evidence?.framePaths, []);
  assert.equal(c.evidence?.visual?.source, 'gemini_video');

  // Usage and cost recorded like every Gemini call.
  const usage = await getDb().select().from(schema.apiUsage).where(and(eq(schema.apiUsage.videoId, v.id), eq(schema.apiUsage.operation, 'read_window_video')));
  assert.deepEqual(usage.map((u) => [u.provider, u.outcome, u.httpStatus]).sort(), [['gemini', 'error', 503], ['gemini', 'ok', null]]);
  const ok = usage.find((u) => u.outcome === 'ok')!;
  assert.equal(ok.inputTokens, 3100);
  assert.ok(Number(ok.costUsd) > 0);

  // A redelivered window.visual: Gemini is not asked again, nothing is duplicated.
  const callsBefore = gemini.calls().length;
  gemini.reply(synthesisFromPrompt);
  const again = await rerunWindowVisual(win.id);
  assert.equal(again.stage, 'done');
  assert.equal(gemini.videoClipCalls().length, 2, 'no new clip request');
  assert.equal(gemini.calls().length, callsBefore + 1, 'only the synthesis was asked again');
  const findingsAgain = await findingsOf(win.id);
  assert.deepEqual(findingsAgain.map((x) => x.id), [f.id], 'the same single row');
  assert.equal((await candidatesOf(v.id)).length, 1);

  // A window that moved (pass 1 ran again) is watched again, and the new answer replaces the old row.
  gemini.replyVideoClip({ on_screen_text: ['SONY', 'WF-1000XM5', 'Noise Cancelling'], products: [] });
  gemini.reply(synthesisFromPrompt);
  await rerunWindowVisual(win.id, { visualEvidence: null });
  assert.equal(gemini.videoClipCalls().length, 3);
  const replaced = await findingsOf(win.id);
  assert.equal(replaced.length, 1, 'replaced, not duplicated');
  assert.deepEqual(replaced[0].ocrLines.map((l) => l.text), ['SONY', 'WF-1000XM5', 'Noise Cancelling']);
  assert.equal(await usageCount(v.id), 3);
});

async function usageCount(videoId: number) {
  const { getDb, schema } = await import('@/src/server/db');
  const rows = await getDb().select().from(schema.apiUsage).where(and(eq(schema.apiUsage.videoId, videoId), eq(schema.apiUsage.operation, 'read_window_video')));
  return rows.length;
}

test('Gemini refuses the clip (400): the window goes on to synthesis without visual evidence and the candidate says why', { timeout: 300_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  const v = await insertUndownloadableVideo('RefUsed4000');
  gemini.reply({ segments });
  gemini.reply({ windows: [{ start: 19, end: 30, reason: '제품 소개', confidence: 0.9 }] });
  gemini.failNextVideoClip(400);
  gemini.reply(synthesisFromPrompt);
  const clipsBefore = gemini.videoClipCalls().length;

  await enqueue('video.transcript', { videoId: String(v.id) });
  const video = await waitUntilAnalysed(v.id);
  assert.equal(video.stage, 'done', `the video must not fail: ${video.errorMessage}`);
  assert.equal(gemini.pending(), 0);
  assert.equal(gemini.videoClipCalls().length - clipsBefore, 1, 'a 400 is not retried');

  const [win] = await windowsOf(v.id);
  assert.equal(win.stage, 'done');
  assert.equal((await findingsOf(win.id)).length, 0, 'no visual evidence stored');
  assert.equal(win.visualEvidence?.source, 'none');
  assert.match(win.visualEvidence?.note ?? '', /화면 근거 없음: 영상 파일이 없고, Gemini가 YouTube 영상의 19–30초 구간을 보지 못했습니다 .*HTTP 400/);
  assert.deepEqual(promptOcrLines(gemini.calls().at(-1)!), [], 'synthesis got no on-screen text');

  const [c] = await candidatesOf(v.id);
  assert.ok(c, 'the candidate is still created');
  assert.deepEqual(c.evidence?.ocrLines, []);
  assert.equal(c.evidence?.visual?.source, 'none');
  assert.match(c.evidence?.visual?.note ?? '', /HTTP 400/);
  const usage = await getDb().select().from(schema.apiUsage).where(and(eq(schema.apiUsage.videoId, v.id), eq(schema.apiUsage.operation, 'read_window_video')));
  assert.deepEqual(usage.map((u) => [u.outcome, u.httpStatus]), [['error', 400]]);
});

test('no media and no Gemini key: no Gemini call; the window and the candidate say there is no visual evidence and why', { timeout: 300_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  const { saveTranscript } = await import('@/src/server/transcripts');
  // A video analysed this far with a key that has since been removed (the rule analyzer takes over).
  const [v] = await getDb()
    .insert(schema.videos)
    .values({ sourceKind: 'youtube', youtubeId: 'NoKeyNoMed1', sourceUrl: 'https://www.youtube.com/watch?v=NoKeyNoMed1', title: '스킨케어 브이로그', stage: 'visual' })
    .returning();
  await saveTranscript(v.id, 'gemini_url', [{ start: 21, end: 26, text: '제가 요즘 진짜 잘 쓰는 게 있는데 라운드랩 독도 토너예요.' }]);
  const [w] = await getDb().insert(schema.windows).values({ videoId: v.id, ordinal: 1, start: 19, end: 30, reason: '제품 소개', confidence: 0.8, method: 'rule' }).returning();
  const callsBefore = gemini.calls().length;
  setEnv({ GEMINI_API_KEY: undefined });
  try {
    await enqueue('window.visual', { windowId: String(w.id) });
    const video = await waitForStage(v.id, ['done', 'failed'], 120_000);
    assert.equal(video.stage, 'done', `video failed: ${video.errorMessage}`);
  } finally {
    setEnv({ GEMINI_API_KEY: 'gemini-test-key' });
  }
  assert.equal(gemini.calls().length, callsBefore, 'Gemini is not called');
  const [win] = await windowsOf(v.id);
  assert.equal(win.visualEvidence?.source, 'none');
  assert.match(win.visualEvidence?.note ?? '', /영상 파일이 없고.*내려받지 못해.*Gemini 키\(GEMINI_API_KEY\)/);
  assert.equal((await findingsOf(win.id)).length, 0);
  const [c] = await candidatesOf(v.id);
  assert.equal(c.analysisMethod, 'rule');
  assert.equal(c.evidence?.visual?.source, 'none');
  assert.equal(c.evidence?.visual?.note, win.visualEvidence?.note);
  const { toCandidateDto } = await import('@/src/server/candidates/dto');
  assert.deepEqual(toCandidateDto(c, { youtubeId: v.youtubeId, sourceKind: 'youtube', mediaPath: null }).evidence.visual_evidence, { source: 'none', note: win.visualEvidence?.note });
});

test('LLM budget spent: the window waits for the next budget period instead of calling Gemini', { timeout: 120_000 }, async () => {
  const { getDb, getPool, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  const { updateSetting } = await import('@/src/server/settings');
  const { budgetStatus } = await import('@/src/server/ops/budgets');
  const [v] = await getDb()
    .insert(schema.videos)
    .values({ sourceKind: 'youtube', youtubeId: 'BudGetSpent', sourceUrl: 'https://www.youtube.com/watch?v=BudGetSpent', title: '예산 소진', stage: 'visual' })
    .returning();
  const [w] = await getDb().insert(schema.windows).values({ videoId: v.id, ordinal: 1, start: 19, end: 30, reason: '제품 소개', confidence: 0.8, method: 'llm' }).returning();
  const clipsBefore = gemini.videoClipCalls().length;
  await updateSetting('budgets', { llmDailyUsd: 0 }, { userId: null, actor: 'test' }); // today's spend ≥ 0: spent
  try {
    const budget = await budgetStatus();
    assert.equal(budget.paused, true);
    await enqueue('window.visual', { windowId: String(w.id) });
    const until = Date.now() + 60_000;
    let deferred: { start_after: Date } | undefined;
    while (!deferred && Date.now() < until) {
      const r = await getPool().query<{ start_after: Date }>(
        `SELECT start_after FROM pgboss.job WHERE name = 'window.visual' AND singleton_key = $1 AND state = 'created' AND start_after > now() + interval '1 minute'`,
        [`window:${w.id}`],
      );
      deferred = r.rows[0];
      if (!deferred) await new Promise((res) => setTimeout(res, 300));
    }
    assert.ok(deferred, 'window.visual is sent again for when the budget resumes');
    assert.equal(deferred.start_after.toISOString(), budget.resumesAt);
    assert.equal(gemini.videoClipCalls().length, clipsBefore, 'Gemini is not called');
    const [win] = await windowsOf(v.id);
    assert.equal(win.stage, 'visual');
    assert.equal(win.visualEvidence, null);
  } finally {
    await updateSetting('budgets', { llmDailyUsd: null }, { userId: null, actor: 'test' });
  }
});
