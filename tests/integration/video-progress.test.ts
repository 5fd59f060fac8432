import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { startNoKeyApp } from '../helpers/no-key-app';
import { insertFixtureVideo, waitForStage } from '../helpers/pipeline';

/**
 * 화면 분석 progress moves with the frames actually read: while the first window is still being read (every window
 * still in `visual`), the video's progress already rises above the 0.4 it entered the stage with, step by step, and
 * never goes backwards (issue 14: it sat at 40 % for a minute).
 */
let app: Awaited<ReturnType<typeof startNoKeyApp>>;

before(async () => {
  app = await startNoKeyApp('progress', { VISUAL_FRAMES_PER_WINDOW: '6' });
});

after(async () => {
  await app?.stop();
});

test('the visual stage reports progress frame by frame, before any window is finished', { timeout: 300_000 }, async () => {
  const { getDb } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  const videoId = await insertFixtureVideo();
  await enqueue('video.transcript', { videoId: String(videoId) });

  type Sample = { stage: string; progress: number; windows: number; reading: number };
  const samples: Sample[] = [];
  let finished = false;
  const sampling = (async () => {
    while (!finished) {
      const r = await getDb().execute<{ stage: string; progress: number; windows: number; reading: number }>(sql`
        SELECT v.stage, v.progress,
          (SELECT count(*)::int FROM windows w WHERE w.video_id = v.id) AS windows,
          (SELECT count(*)::int FROM windows w WHERE w.video_id = v.id AND w.stage = 'visual') AS reading
        FROM videos v WHERE v.id = ${videoId}`);
      const x = r.rows[0];
      if (x) samples.push({ stage: x.stage, progress: Number(x.progress), windows: Number(x.windows), reading: Number(x.reading) });
      await new Promise((res) => setTimeout(res, 40));
    }
  })();
  const video = await waitForStage(videoId, ['done', 'failed']);
  finished = true;
  await sampling;
  assert.equal(video.stage, 'done', `video failed: ${video.errorMessage}`);

  const visual = samples.filter((s) => s.stage === 'visual');
  assert.ok(visual.length > 0, 'the visual stage was observed');
  const firstWindowBeingRead = visual.filter((s) => s.windows > 0 && s.reading === s.windows);
  const risen = firstWindowBeingRead.filter((s) => s.progress > 0.4);
  assert.ok(
    risen.length > 0,
    `progress rises above 40 % while the first window is read; seen ${[...new Set(firstWindowBeingRead.map((s) => s.progress))].join(', ')}`,
  );
  const distinct = new Set(visual.map((s) => s.progress));
  assert.ok(distinct.size >= 3, `several steps within the visual stage, not one jump: ${[...distinct].join(', ')}`);
  for (let i = 1; i < samples.length; i++) {
    assert.ok(samples[i].progress >= samples[i - 1].progress, `never backwards: ${samples[i - 1].progress} → ${samples[i].progress}`);
  }
});
