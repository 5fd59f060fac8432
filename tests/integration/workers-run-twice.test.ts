import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { startNoKeyApp } from '../helpers/no-key-app';
import { insertFixtureVideo } from '../helpers/pipeline';

/**
 * Delivery is at least once, so every worker must tolerate running twice: each worker of the pipeline is run twice
 * by hand on the fixture vlog (no keys; this process runs no workers of its own, APP_ROLE=web), and the second run
 * must change nothing — rows, stages, candidates, history and the jobs it sends (deduplicated by natural key).
 * The feed and backfill workers' second runs are checked in feeds-poll and channels-backfill; db.backup writes a
 * new dated archive by design (backup-restore checks it).
 */
let app: Awaited<ReturnType<typeof startNoKeyApp>>;

before(async () => {
  app = await startNoKeyApp('twice', { APP_ROLE: 'web' });
});

after(async () => {
  await app?.stop();
});

/** Everything a step may write, in a comparable form (times left out: a rerun may not move them anyway). */
async function snapshot(videoId: number) {
  const { getDb, schema } = await import('@/src/server/db');
  const d = getDb();
  const [video] = await d.select().from(schema.videos).where(eq(schema.videos.id, videoId));
  const strip = <T extends Record<string, unknown>>(r: T) => Object.fromEntries(Object.entries(r).filter(([k]) => !/At$/.test(k)));
  return {
    video: { ...strip(video), timings: Object.keys(video.timings ?? {}).sort() },
    transcripts: (await d.select().from(schema.transcripts).where(eq(schema.transcripts.videoId, videoId))).map(strip),
    windows: (await d.select().from(schema.windows).where(eq(schema.windows.videoId, videoId)).orderBy(schema.windows.id)).map(strip),
    findings: (await d.select({ n: sql<number>`count(*)::int` }).from(schema.visualFindings))[0].n,
    candidates: (await d.select().from(schema.candidates).where(eq(schema.candidates.videoId, videoId)).orderBy(schema.candidates.id)).map(strip),
    events: (await d.select({ n: sql<number>`count(*)::int` }).from(schema.candidateEvents))[0].n,
    jobs: (await d.execute(sql`select name, count(*)::int as n from pgboss.job group by name order by name`)).rows,
  };
}

test('every pipeline worker run twice: the second run changes nothing', { timeout: 600_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const workers = (await import('@/src/workers/index')).workerRegistry;
  const videoId = await insertFixtureVideo();
  await getDb().update(schema.videos).set({ stage: 'queued' }).where(eq(schema.videos.id, videoId));
  const ctx = { jobId: 'by-hand', attempt: 1, isFinalAttempt: false };

  const twice = async (label: string, run: () => Promise<void>) => {
    await run();
    const first = await snapshot(videoId);
    await run();
    assert.deepEqual(await snapshot(videoId), first, `${label}: the second run changed something`);
    return first;
  };

  const v = { videoId: String(videoId) };
  await twice('video.ingest', () => workers['video.ingest'].run(v, ctx));
  await twice('video.media', () => workers['video.media'].run(v, ctx));
  await twice('video.transcript', () => workers['video.transcript'].run(v, ctx));
  const afterWindows = await twice('video.windows', () => workers['video.windows'].run(v, ctx));
  assert.ok(afterWindows.windows.length >= 1, 'the fixture has recommendation windows');
  for (const w of afterWindows.windows) {
    const data = { windowId: String(w.id) };
    await twice(`window.visual ${w.id}`, () => workers['window.visual'].run(data, ctx));
    await twice(`candidate.synthesize ${w.id}`, () => workers['candidate.synthesize'].run(data, ctx));
  }
  const { candidates } = await snapshot(videoId);
  assert.ok(candidates.length >= 1, 'a candidate was saved');
  for (const c of candidates) {
    const data = { candidateId: String(c.id) };
    await twice(`candidate.monetize ${c.id}`, () => workers['candidate.monetize'].run(data, ctx));
    await twice(`candidate.score ${c.id}`, () => workers['candidate.score'].run(data, ctx));
  }
  const done = await snapshot(videoId);
  assert.equal((done.video as Record<string, unknown>).stage, 'done');
  assert.ok(done.jobs.some((j) => (j as { name: string }).name === 'notify.digest'), 'reaching done sent the digest');
  await twice('notify.digest', () => workers['notify.digest'].run(v, ctx));
  for (const cron of ['notify.daily-summary', 'notify.alerts', 'sheets.sync', 'media.cleanup', 'feeds.poll'] as const)
    await twice(cron, () => workers[cron].run({}, ctx));
});
