import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { startYoutubeDataFake, YTDLP_FAKE_PATH, type YoutubeDataFake } from '../fakes';

/**
 * video.ingest on the real queue with the fake Data API: a submitted YouTube URL gets its metadata, channel and
 * celebrity; an upcoming live or a Short by duration is skipped before media acquisition. Only video.ingest runs.
 */
let db: { url: string; drop(): Promise<void> };
let app: typeof import('@/src/start');
let fake: YoutubeDataFake;
let dataDir: string;
const CH = 'UCingestKR0123456789abcd';

before(async () => {
  db = await createTestDatabase('ingest');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-ingest-'));
  fake = await startYoutubeDataFake();
  fake.addChannel({ id: CH, handle: '@ingestkr', title: '인제스트 채널' });
  fake.addVideo({ id: 'ingLong0001', channelId: CH, title: '아이유 추천 립밤 리뷰', description: '내돈내산', publishedAt: '2026-11-20T10:00:00Z', duration: 'PT11M' });
  fake.addVideo({ id: 'ingLive0001', channelId: CH, title: '라이브 예정', publishedAt: '2026-11-28T10:00:00Z', duration: 'P0D', liveBroadcastContent: 'upcoming' });
  fake.addVideo({ id: 'ingShort001', channelId: 'UCotherKR000000000000000', title: '짧은 영상', publishedAt: '2026-11-20T10:00:00Z', duration: 'PT50S' });
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    YOUTUBE_API_KEY: fake.apiKey,
    GOOGLE_API_ROOT_URL: fake.url,
    WORKER_QUEUES: 'video.ingest',
    // a submitted YouTube URL is accepted only where yt-dlp (or Gemini) can get it; only video.ingest runs here
    YTDLP_PATH: YTDLP_FAKE_PATH,
  });
  delete process.env.APP_ROLE;
  (await import('@/src/server/config')).resetConfig();
  app = await import('@/src/start');
  await app.startApp();
});

after(async () => {
  await app?.stopApp();
  await fake?.close();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function waitForStage(id: string, notStage: string) {
  const { getDb, schema } = await import('@/src/server/db');
  const until = Date.now() + 30_000;
  for (;;) {
    const [row] = await getDb().select().from(schema.videos).where(eq(schema.videos.id, Number(id)));
    if (row.stage !== notStage) return row;
    if (Date.now() > until) assert.fail(`video ${id} stayed ${notStage}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a submitted URL gets exact metadata, its registered channel and celebrity, then moves on to media', async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const [celeb] = await getDb().insert(schema.celebrities).values({ name: '아이유', aliases: ['IU'] }).returning();
  const [channel] = await getDb().insert(schema.channels).values({ youtubeChannelId: CH, kind: 'celebrity', celebrityId: celeb.id, title: '인제스트 채널' }).returning();
  const { submitVideoUrl } = await import('@/src/server/videos');
  const { video } = await submitVideoUrl('https://youtu.be/ingLong0001');
  const row = await waitForStage(video.id, 'queued');
  assert.equal(row.stage, 'media');
  assert.equal(row.title, '아이유 추천 립밤 리뷰');
  assert.equal(row.durationSeconds, 660);
  assert.equal(row.publishedAt?.toISOString(), '2026-11-20T10:00:00.000Z');
  assert.equal(row.channelId, channel.id);
  assert.equal(row.celebrityId, celeb.id);
});

test('an upcoming live and a Short by duration are skipped at ingest, with their rules; a redelivered job changes nothing', async () => {
  const { submitVideoUrl } = await import('@/src/server/videos');
  const { enqueue } = await import('@/src/server/queue');
  const live = await submitVideoUrl('https://www.youtube.com/watch?v=ingLive0001');
  const liveRow = await waitForStage(live.video.id, 'queued');
  assert.equal(liveRow.stage, 'skipped');
  assert.equal(liveRow.skipRule, 'upcoming_live');
  const short = await submitVideoUrl('https://www.youtube.com/watch?v=ingShort001');
  const shortRow = await waitForStage(short.video.id, 'queued');
  assert.equal(shortRow.stage, 'skipped');
  assert.equal(shortRow.skipRule, 'shorts_duration');
  assert.equal(shortRow.isShort, true);
  assert.equal(shortRow.channelId, null, 'an unregistered channel is not linked');

  const calls = fake.count('videos');
  await enqueue('video.ingest', { videoId: live.video.id });
  await new Promise((r) => setTimeout(r, 2500));
  const again = await waitForStage(live.video.id, 'queued');
  assert.equal(again.stage, 'skipped');
  assert.equal(fake.count('videos'), calls, 'no lookup for a video that is no longer queued');
});
