import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eq, inArray } from 'drizzle-orm';
import { startNoKeyApp } from '../helpers/no-key-app';
import { candidatesOf, insertFixtureVideo, waitForStage } from '../helpers/pipeline';

/**
 * The fixture vlog (../shared/models/fixtures/vlog_roundlab_60s.mp4) with its captions and no external keys, through
 * the real queue and workers: captions → rule windows → frames/OCR/detector → rule synthesis → score → done.
 */
let app: Awaited<ReturnType<typeof startNoKeyApp>>;

before(async () => {
  app = await startNoKeyApp('pipe');
});

after(async () => {
  await app?.stop();
});

test('fixture vlog with captions, no keys: one ROUND LAB candidate with clip, crop, OCR and score; intro ignored', { timeout: 300_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  const { resolveMediaPath } = await import('@/src/server/media/paths');
  const videoId = await insertFixtureVideo();
  await enqueue('video.transcript', { videoId: String(videoId) });
  const video = await waitForStage(videoId, ['done', 'failed']);
  assert.equal(video.stage, 'done', `video failed: ${video.errorMessage}`);
  assert.equal(video.progress, 1);
  for (const s of ['transcript', 'windows', 'visual']) assert.ok(s in video.timings, `timing for ${s}`);

  const [transcript] = await getDb().select().from(schema.transcripts).where(eq(schema.transcripts.videoId, videoId));
  assert.equal(transcript.source, 'captions');
  const windows = await getDb().select().from(schema.windows).where(eq(schema.windows.videoId, videoId));
  assert.ok(windows.length >= 1);
  assert.ok(windows.every((w) => w.method === 'rule' && w.stage === 'done'));
  assert.ok(windows.every((w) => w.start >= 10), 'the 0–10 s introduction yields no window');

  const list = await candidatesOf(videoId);
  assert.equal(list.length, 1, `one candidate, got ${list.map((c) => c.productNameAi).join(', ')}`);
  const c = list[0];
  assert.equal(c.productNameAi, '라운드랩 독도 토너', 'seen and said: named in Hangul, never 확인 필요');
  assert.ok(c.clipStartTime <= 21 && c.clipEndTime >= 26, `clip ${c.clipStartTime}–${c.clipEndTime} covers the spoken recommendation`);
  // The card is on screen 20–30 s, longer than the speech: the clip follows it past the speech window.
  assert.ok(c.clipStartTime <= 20 && c.clipEndTime >= 30, `clip ${c.clipStartTime}–${c.clipEndTime} covers the 20–30 s product shot`);
  // from the product named at 21 s through the praise at 40–44 s: a Reel-length clip, not the whole video
  assert.ok(c.clipEndTime >= 44 && c.clipEndTime - c.clipStartTime <= 30, `clip ${c.clipStartTime}–${c.clipEndTime} stays a clip`);
  const shown = c.evidence?.productVisible;
  assert.ok(shown && Math.abs(shown.start - 20) <= 0.5 && Math.abs(shown.end - 30) <= 0.5, `product on screen ${JSON.stringify(shown)} ≈ 20–30 s`);
  assert.equal(c.analysisMethod, 'rule');
  assert.ok(c.evidence);
  assert.ok(c.evidence.cropPath, 'a crop image is recorded');
  assert.equal(c.evidence.visual?.source, 'frames', 'the visual evidence came from the media file');
  const crop = resolveMediaPath(c.evidence.cropPath);
  assert.ok(fs.statSync(crop).size > 500, 'the crop image exists on disk');
  assert.ok(c.evidence.ocrLines.some((l) => /ROUND\s*LAB|라운드랩/i.test(l)), `OCR evidence: ${c.evidence.ocrLines.join(' | ')}`);
  assert.ok(c.evidence.transcriptSpan.some((s) => s.text.includes('라운드랩 독도 토너')));
  // the praise at 40 s goes on about the product named at 21 s (13 s of b-roll between): one window, one candidate
  assert.ok(c.evidence.transcriptSpan.some((s) => s.start >= 39 && s.text.includes('강력 추천')), 'the 40 s praise is part of the window');
  assert.ok(c.scoreEvidence, 'score evidence stored');
  assert.ok(c.scoreTotal > 0 && c.sentimentScore > 0 && c.endorsementScore > 0 && c.influencerScore > 0);
  assert.equal(c.scoreTotal, Math.round(100 * (0.5 * c.sentimentScore + 0.35 * c.endorsementScore + 0.15 * c.influencerScore)));
  assert.equal(c.coupangSearchStatus, 'not_configured');
  assert.notEqual(c.currentStatus, 'approved');
  // Routing (PRODUCT.md step 12) with no PPL and no Coupang result: the score threshold (REVIEW_MIN_SCORE, default 40).
  assert.ok(c.scoreTotal >= 40, `a clear spoken, on-screen recommendation scores ${c.scoreTotal}, at least the review line`);
  assert.equal(c.currentStatus, 'needs_review');
  assert.ok(c.scoreEvidence!.endorsement.some((e) => e.includes('촉촉')), 'the merged 40 s praise counts in the score');
  assert.ok(c.recommendedTitles.length === 3 && c.recommendedHashtags.length >= 8);
  assert.match(c.summaryForCaption ?? '', /쿠팡 파트너스/);
  const events = await getDb().select().from(schema.candidateEvents).where(eq(schema.candidateEvents.candidateId, c.id));
  assert.ok(events.some((e) => e.kind === 'created'));
  const findings = await getDb().select().from(schema.visualFindings).where(inArray(schema.visualFindings.windowId, windows.map((w) => w.id)));
  assert.ok(findings.length >= 1 && findings.length <= 3 * windows.length, 'frames capped per window');
  assert.ok(findings.some((f) => f.isBest && f.ocrLines.length > 0));

  // Running the analysis steps again changes nothing: same single candidate, same clip, same merged evidence.
  await getDb().update(schema.windows).set({ stage: 'synthesize' }).where(eq(schema.windows.videoId, videoId));
  await getDb().update(schema.videos).set({ stage: 'synthesize' }).where(eq(schema.videos.id, videoId));
  for (const w of [...windows].reverse()) await enqueue('candidate.synthesize', { windowId: String(w.id) });
  await waitForStage(videoId, ['done', 'failed']);
  const again = await candidatesOf(videoId);
  assert.equal(again.length, 1);
  assert.equal(again[0].id, c.id);
  assert.equal(again[0].clipStartTime, c.clipStartTime);
  assert.equal(again[0].clipEndTime, c.clipEndTime);
  assert.deepEqual(again[0].evidence?.otherWindows, c.evidence.otherWindows);
  assert.equal(again[0].scoreTotal, c.scoreTotal);

  // Both windows re-synthesized at the same moment, the merged praise first: it updates the candidate twice (its
  // foreign-key check then needs the clip window's row) while the clip window's synthesis waits for the video's
  // lock. They must queue up, not deadlock.
  const { getPool } = await import('@/src/server/db');
  const { synthesizeWindow } = await import('@/src/server/candidates/pipeline/synthesize-window');
  // The fixture's praise is inside the clip window; an unnamed window after it (as when praise follows a longer pause)
  // gives the two syntheses of one product this needs.
  const [clipWindow] = [...windows].sort((x, y) => x.start - y.start);
  const [praiseWindow] = await getDb()
    .insert(schema.windows)
    .values({ videoId, ordinal: windows.length + 1, start: 48, end: 54, method: 'rule', reason: '추천 근거: 칭찬', stage: 'synthesize' })
    .returning();
  await getDb().update(schema.windows).set({ stage: 'synthesize' }).where(eq(schema.windows.videoId, videoId));
  const [videoRow] = await getDb().select().from(schema.videos).where(eq(schema.videos.id, videoId));
  const waiting = async (n: number) => {
    for (let i = 0; i < 200; i++) {
      const { rows } = await getPool().query("select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and classid = 727001 and objid = $1", [videoId]);
      if (rows[0].n >= n) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`${n} syntheses never waited for the video's lock`);
  };
  const hold = await getPool().connect();
  try {
    await hold.query('begin');
    await hold.query('select pg_advisory_xact_lock(727001, $1::int)', [videoId]);
    const praise = synthesizeWindow((await getDb().select().from(schema.windows).where(eq(schema.windows.id, praiseWindow.id)))[0], videoRow);
    await waiting(1);
    const clip = synthesizeWindow((await getDb().select().from(schema.windows).where(eq(schema.windows.id, clipWindow.id)))[0], videoRow);
    await waiting(2);
    await hold.query('commit');
    const outcomes = await Promise.all([praise, clip]);
    assert.deepEqual(outcomes.map((o) => o.candidateId), [c.id, c.id]);
  } finally {
    hold.release();
  }
  const third = await candidatesOf(videoId);
  assert.equal(third.length, 1);
  assert.deepEqual(third[0].evidence?.otherWindows.map((o) => [o.start, o.end]), [...c.evidence.otherWindows.map((o) => [o.start, o.end]), [48, 54]]);

  // Routing follows the score line operators set under 설정, not only REVIEW_MIN_SCORE.
  const { updateSetting } = await import('@/src/server/settings');
  const { scoreAndRouteCandidate } = await import('@/src/server/candidates/pipeline/score-and-route');
  const by = { userId: null, actor: 'test' };
  try {
    await updateSetting('thresholds', { scoreMin: c.scoreTotal + 1 }, by);
    assert.equal((await scoreAndRouteCandidate(c.id))?.status, 'low_score_filtered');
    await updateSetting('thresholds', { scoreMin: c.scoreTotal }, by);
    assert.equal((await scoreAndRouteCandidate(c.id))?.status, 'needs_review');
  } finally {
    await updateSetting('thresholds', { scoreMin: 40 }, by);
  }
});

test('no transcript source: the video fails as not_configured naming the three ways', { timeout: 120_000 }, async () => {
  const { enqueue } = await import('@/src/server/queue');
  const prevModels = process.env.MODELS_DIR;
  const videoId = await insertFixtureVideo({ captions: false });
  await enqueue('video.transcript', { videoId: String(videoId) });
  const v = await waitForStage(videoId, ['failed', 'windows', 'visual', 'done'], 60_000);
  assert.equal(v.stage, 'failed');
  assert.equal(v.errorCode, 'not_configured');
  assert.equal(v.failedStage, 'transcript');
  assert.match(v.errorMessage ?? '', /captions/);
  assert.match(v.errorMessage ?? '', /models:fetch/);
  assert.match(v.errorMessage ?? '', /GEMINI_API_KEY/);
  assert.equal(process.env.MODELS_DIR, prevModels);
});

test('"샘플 영상으로 체험하기": the bundled sample vlog becomes a reviewable candidate with no key and no model', { timeout: 300_000 }, async () => {
  const { analyzeSampleVideo } = await import('@/src/server/videos/sample-video');
  const prevModels = process.env.MODELS_DIR;
  process.env.MODELS_DIR = path.join(app.dataDir, 'no-models'); // no detector, no Whisper: OCR and captions only
  (await import('@/src/server/config')).resetConfig();
  try {
    const first = await analyzeSampleVideo();
    assert.equal(first.created, true);
    const again = await analyzeSampleVideo();
    assert.equal(again.created, false);
    assert.equal(again.video.id, first.video.id);
    const video = await waitForStage(Number(first.video.id), ['done', 'failed']);
    assert.equal(video.stage, 'done', `sample failed: ${video.errorMessage}`);
    const list = await candidatesOf(video.id);
    assert.equal(list.length, 1);
    assert.match(list[0].productNameAi, /토리든|TORRIDEN/i);
    assert.equal(list[0].currentStatus, 'needs_review', `score ${list[0].scoreTotal}`);
    assert.ok(list[0].evidence?.cropPath);
  } finally {
    process.env.MODELS_DIR = prevModels;
    (await import('@/src/server/config')).resetConfig();
  }
});

test('through the upload path: fixture + caption file → queued → media → … → done with the ROUND LAB candidate', { timeout: 300_000 }, async () => {
  const { submitUpload } = await import('@/src/server/videos');
  const { fixtureVideo, fixtureCaptions } = await import('../helpers/pipeline');
  const tmp = path.join(app.dataDir, 'upload-src.mp4');
  fs.copyFileSync(fixtureVideo(), tmp);
  const { video, created } = await submitUpload({
    file: { path: tmp, name: 'vlog_roundlab_60s.mp4', size: fs.statSync(tmp).size },
    captions: { name: 'vlog.ko.vtt', text: fs.readFileSync(fixtureCaptions, 'utf8') },
    title: '업로드한 브이로그',
  });
  assert.equal(created, true);
  const done = await waitForStage(Number(video.id), ['done', 'failed']);
  assert.equal(done.stage, 'done', `upload failed: ${done.errorMessage}`);
  for (const s of ['queued', 'media', 'transcript', 'windows']) assert.ok(s in done.timings, `timing for ${s}`);
  const list = await candidatesOf(done.id);
  assert.equal(list.length, 1);
  assert.match(list[0].productNameAi, /ROUND LAB|라운드랩/i);
  assert.equal(list[0].videoTitle, '업로드한 브이로그');
});
