import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { setEnv } from '../helpers/env';
import {
  channelFeedFromContract,
  startYoutubeDataFake,
  startYoutubeFeedFake,
  type FeedEntry,
  type YoutubeDataFake,
  type YoutubeFeedFake,
} from '../fakes';

/**
 * Feed collection against the fake YouTube feed (and Data API), on real Postgres and real pg-boss. Only the
 * collection queues run here, so collected videos stay `queued` with their video.ingest job waiting.
 */
let db: { url: string; drop(): Promise<void> };
let app: typeof import('@/src/start');
let feedFake: YoutubeFeedFake;
let dataFake: YoutubeDataFake;
let dataDir: string;
const contract = channelFeedFromContract();

/** The contract entries under another channel, with video ids made unique per scenario. */
function entriesFor(tag: string): FeedEntry[] {
  return contract.entries.map((e) => ({ ...e, videoId: e.videoId.slice(0, 9) + tag }));
}
const channelIdFor = (tag: string) => `UC${tag}${'x'.repeat(22 - tag.length)}`;

async function mods() {
  return {
    db: await import('@/src/server/db'),
    feeds: await import('@/src/server/feeds'),
    channels: await import('@/src/server/channels'),
    clock: await import('@/src/server/clock'),
    config: await import('@/src/server/config'),
    policy: await import('@/src/server/integrations/policy'),
    queue: await import('@/src/server/queue'),
  };
}

async function insertChannel(youtubeChannelId: string, kind: 'celebrity' | 'media', celebrityId: number | null = null) {
  const { db } = await mods();
  const [row] = await db.getDb().insert(db.schema.channels).values({ youtubeChannelId, kind, celebrityId, title: 'test' }).returning();
  return row;
}

async function videosOf(channelId: number) {
  const { db } = await mods();
  return db.getDb().select().from(db.schema.videos).where(eq(db.schema.videos.channelId, channelId)).orderBy(db.schema.videos.youtubeId);
}

async function ingestJobsFor(videoIds: number[]): Promise<number> {
  const { db } = await mods();
  const res = await db.getPool().query(
    `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'video.ingest' AND (data->>'videoId')::bigint = ANY($1::bigint[])`,
    [videoIds],
  );
  return res.rows[0].n;
}

before(async () => {
  db = await createTestDatabase('feeds');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-feeds-'));
  feedFake = await startYoutubeFeedFake();
  dataFake = await startYoutubeDataFake();
  setEnv({
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    YOUTUBE_FEED_BASE_URL: feedFake.url,
    FEED_MAX_AGE_DAYS: '60',
    WORKER_QUEUES: 'feeds.poll,feeds.poll-channel',
    APP_ROLE: undefined,
    YOUTUBE_API_KEY: undefined,
    GOOGLE_API_ROOT_URL: undefined,
  });
  const m = await mods();
  m.config.resetConfig();
  // The contract feed's newest entry is 2026-11-25T10:00Z.
  m.clock.setClock(new Date('2026-11-25T12:00:00Z'));
  app = await import('@/src/start');
  await app.startApp();
});

/** Quick retries, and a closed circuit breaker (the breaker is per provider, so failures of one test would open it for the next). */
async function fastPolicies() {
  const m = await mods();
  m.policy.resetPolicies();
  m.policy.configureProvider('youtube_feed', { backoffInitialMs: 20, backoffMaxMs: 100 });
  m.policy.configureProvider('youtube', { backoffInitialMs: 20, backoffMaxMs: 100 });
}
beforeEach(fastPolicies);

after(async () => {
  const m = await mods();
  m.clock.setClock(undefined);
  await app?.stopApp();
  await feedFake?.close();
  await dataFake?.close();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('long-form feed 404 → channel feed: 11 long-form videos enter analysis, 4 Shorts skipped; polling again adds nothing', async () => {
  const m = await mods();
  const ytId = channelIdFor('A');
  const entries = entriesFor('aa');
  feedFake.setLongFormFeed(ytId, 404);
  feedFake.setChannelFeed(ytId, entries, { title: contract.title });
  const channel = await insertChannel(ytId, 'celebrity');

  const first = await m.feeds.pollChannel(channel.id);
  assert.ok(!('notPolled' in first));
  assert.equal(first.source, 'channel');
  const rows = await videosOf(channel.id);
  assert.equal(rows.length, 15);
  const queued = rows.filter((v) => v.stage === 'queued');
  const skipped = rows.filter((v) => v.stage === 'skipped');
  assert.equal(queued.length, 11);
  assert.equal(skipped.length, 4);
  const shortIds = entries.filter((e) => e.short).map((e) => e.videoId).sort();
  assert.deepEqual(skipped.map((v) => v.youtubeId).sort(), shortIds);
  assert.ok(skipped.every((v) => v.skipRule === 'shorts_link' && v.isShort && /쇼츠|Shorts/.test(v.skipReason ?? '')));
  assert.equal(await ingestJobsFor(queued.map((v) => v.id)), 11, 'each long-form video has its video.ingest job');
  assert.equal(await ingestJobsFor(skipped.map((v) => v.id)), 0, 'Shorts are never queued');
  const kimchi = rows.find((v) => v.youtubeId === 'hP3zX7qW8' + 'aa')!;
  assert.equal(kimchi.title, '10분 완성 김치찌개 | 자취생 필수 냄비 추천');
  assert.equal(kimchi.publishedAt?.toISOString(), '2026-11-25T10:00:41.000Z');
  assert.equal(kimchi.sourceUrl, `https://www.youtube.com/watch?v=${kimchi.youtubeId}`);

  const requests = feedFake.requests.map((r) => r.query.playlist_id ?? r.query.channel_id);
  assert.deepEqual(requests.slice(-2), [`UULF${ytId.slice(2)}`, ytId], 'long-form feed first, channel feed at once on 404');

  // Polling again (as a re-delivered job would) adds nothing and queues nothing new.
  const again = await m.feeds.pollChannel(channel.id);
  assert.ok(!('notPolled' in again));
  assert.equal(again.created, 0);
  assert.equal(again.existing, 15);
  assert.equal((await videosOf(channel.id)).length, 15);
  assert.equal(await ingestJobsFor(queued.map((v) => v.id)), 11);

  const [fresh] = await m.db.getDb().select().from(m.db.schema.channels).where(eq(m.db.schema.channels.id, channel.id));
  assert.equal(fresh.feedSource, 'channel');
  assert.equal(fresh.feedConsecutiveFailures, 0);
  assert.ok(fresh.feedLastSuccessAt);
  assert.equal(fresh.feedLastError, null, 'a long-form 404 is normal, not a failure');
});

test('the long-form feed, when it answers, is trusted: no Shorts rule fires on its entries', async () => {
  const m = await mods();
  const ytId = channelIdFor('B');
  const entries = entriesFor('bb').filter((e) => !e.short);
  feedFake.setLongFormFeed(ytId, entries);
  const channel = await insertChannel(ytId, 'celebrity');
  const res = await m.feeds.pollChannel(channel.id);
  assert.ok(!('notPolled' in res));
  assert.equal(res.source, 'longform');
  assert.equal(res.queued, 11);
});

test('first poll takes only entries not older than FEED_MAX_AGE_DAYS', async () => {
  const m = await mods();
  setEnv({ FEED_MAX_AGE_DAYS: '30' });
  m.config.resetConfig();
  try {
    const ytId = channelIdFor('C');
    feedFake.setLongFormFeed(ytId, 404);
    feedFake.setChannelFeed(ytId, entriesFor('cc'));
    const channel = await insertChannel(ytId, 'celebrity');
    const res = await m.feeds.pollChannel(channel.id);
    assert.ok(!('notPolled' in res));
    // 2026-10-26T01:00Z is more than 30 days before 2026-11-25T12:00Z; every other entry is within.
    assert.equal(res.tooOld, 1);
    assert.equal((await videosOf(channel.id)).some((v) => v.youtubeId === 'F4gH5jK6l' + 'cc'), false);
    assert.equal((await videosOf(channel.id)).length, 14);
  } finally {
    setEnv({ FEED_MAX_AGE_DAYS: '60' });
    m.config.resetConfig();
  }
});

test('with the Data API configured, the upcoming live (and Shorts by duration) are skipped too', async () => {
  const m = await mods();
  const ytId = channelIdFor('D');
  const entries = entriesFor('dd');
  feedFake.setLongFormFeed(ytId, 404);
  feedFake.setChannelFeed(ytId, entries);
  for (const e of entries) {
    const live = e.videoId.startsWith('lIv3Up_c0');
    dataFake.addVideo({
      id: e.videoId,
      channelId: ytId,
      title: e.title,
      publishedAt: e.published,
      duration: live ? 'P0D' : e.short ? 'PT45S' : 'PT12M3S',
      liveBroadcastContent: live ? 'upcoming' : 'none',
    });
  }
  setEnv({ YOUTUBE_API_KEY: dataFake.apiKey, GOOGLE_API_ROOT_URL: dataFake.url });
  m.config.resetConfig();
  try {
    const channel = await insertChannel(ytId, 'celebrity');
    const before = dataFake.count('videos');
    const res = await m.feeds.pollChannel(channel.id);
    assert.ok(!('notPolled' in res));
    assert.equal(dataFake.count('videos') - before, 1, 'one videos.list batch for 15 new entries');
    const rows = await videosOf(channel.id);
    assert.equal(rows.filter((v) => v.stage === 'queued').length, 10);
    const live = rows.find((v) => v.youtubeId === 'lIv3Up_c0' + 'dd')!;
    assert.equal(live.stage, 'skipped');
    assert.equal(live.skipRule, 'upcoming_live');
    assert.equal(live.isShort, false);
    assert.equal(rows.filter((v) => v.skipRule === 'shorts_link').length, 4);
    const long = rows.find((v) => v.youtubeId === 'hP3zX7qW8' + 'dd')!;
    assert.equal(long.durationSeconds, 723);
  } finally {
    setEnv({ YOUTUBE_API_KEY: undefined, GOOGLE_API_ROOT_URL: undefined });
    m.config.resetConfig();
  }
});

test('a media channel keeps only videos naming a registered celebrity, with Korean particles, and links it', async () => {
  const m = await mods();
  const { getDb, schema } = m.db;
  const [iu] = await getDb().insert(schema.celebrities).values({ name: '아이유', aliases: ['IU'] }).returning();
  await getDb().insert(schema.celebrities).values({ name: '진', aliases: ['Jin'] });
  await getDb().insert(schema.celebrities).values({ name: '뷔', aliases: ['V'] });
  const ytId = channelIdFor('E');
  feedFake.setLongFormFeed(ytId, [
    { videoId: 'mediaVid001', title: '아이유의 최애 립밤 공개', published: '2026-11-20T10:00:00Z' },
    { videoId: 'mediaVid002', title: 'IU가 매일 쓰는 향수는?', published: '2026-11-19T10:00:00Z' },
    { videoId: 'mediaVid003', title: '진짜 맛있는 파스타', published: '2026-11-18T10:00:00Z' },
    { videoId: 'mediaVid004', title: 'VLOG | 주말 일상', published: '2026-11-17T10:00:00Z' },
    { videoId: 'mediaVid005', title: '이번 주 신상 리뷰', description: '오늘은 아이유 님이 쓰는 쿠션', published: '2026-11-16T10:00:00Z' },
  ]);
  const channel = await insertChannel(ytId, 'media');
  const res = await m.feeds.pollChannel(channel.id);
  assert.ok(!('notPolled' in res));
  const rows = new Map((await videosOf(channel.id)).map((v) => [v.youtubeId, v]));
  for (const id of ['mediaVid001', 'mediaVid002', 'mediaVid005']) {
    assert.equal(rows.get(id)?.stage, 'queued', id);
    assert.equal(rows.get(id)?.celebrityId, iu.id, `${id} is linked to 아이유`);
  }
  for (const id of ['mediaVid003', 'mediaVid004']) {
    assert.equal(rows.get(id)?.stage, 'skipped', id);
    assert.equal(rows.get(id)?.skipRule, 'no_celebrity');
    assert.equal(rows.get(id)?.celebrityId, null);
  }
  // A re-poll evaluates nothing again.
  const again = await m.feeds.pollChannel(channel.id);
  assert.ok(!('notPolled' in again));
  assert.equal(again.created, 0);
});

test('a feed answering 500, 500, then 200: videos collected, channel still active and shows the failures', async () => {
  const m = await mods();
  const ytId = channelIdFor('F');
  const entries = entriesFor('ff');
  feedFake.setLongFormFeed(ytId, entries.filter((e) => !e.short));
  feedFake.script(`UULF${ytId.slice(2)}`, [500, 500, 'ok']);
  const channel = await insertChannel(ytId, 'celebrity');
  const res = await m.feeds.pollChannel(channel.id);
  assert.ok(!('notPolled' in res));
  assert.equal(res.queued, 11);
  const [row] = await m.db.getDb().select().from(m.db.schema.channels).where(eq(m.db.schema.channels.id, channel.id));
  assert.equal(row.status, 'active');
  assert.ok(row.feedLastSuccessAt);
  assert.ok(row.feedLastErrorAt, 'the failed attempts are visible');
  assert.match(row.feedLastError ?? '', /2 failed attempt\(s\).*HTTP 500/);
  assert.equal(row.feedConsecutiveFailures, 0);
});

test('a poll whose attempts all fail is recorded on the channel (never disabled) and the next good poll resets it', async () => {
  const m = await mods();
  const ytId = channelIdFor('G');
  feedFake.setLongFormFeed(ytId, entriesFor('gg').filter((e) => !e.short));
  const feedId = `UULF${ytId.slice(2)}`;
  const channel = await insertChannel(ytId, 'celebrity');
  const channelRow = async () => (await m.db.getDb().select().from(m.db.schema.channels).where(eq(m.db.schema.channels.id, channel.id)))[0];

  for (let i = 1; i <= 2; i++) {
    await fastPolicies();
    feedFake.script(feedId, [503, 503, 503]);
    await assert.rejects(m.feeds.pollChannel(channel.id), (err: Error & { code?: string }) => err.code === 'upstream_failed' && /503/.test(err.message));
    const row = await channelRow();
    assert.equal(row.feedConsecutiveFailures, i);
    assert.equal(row.status, 'active');
    assert.match(row.feedLastError ?? '', /HTTP 503/);
  }
  assert.equal((await videosOf(channel.id)).length, 0);
  await fastPolicies();
  const ok = await m.feeds.pollChannel(channel.id);
  assert.ok(!('notPolled' in ok));
  const row = await channelRow();
  assert.equal(row.feedConsecutiveFailures, 0);
  assert.ok(row.feedLastSuccessAt && row.feedLastErrorAt && row.feedLastSuccessAt >= row.feedLastErrorAt);
  assert.equal((await videosOf(channel.id)).length, 11);
});

test('a malformed feed body is retried like a transient error', async () => {
  const m = await mods();
  const ytId = channelIdFor('H');
  feedFake.setLongFormFeed(ytId, entriesFor('hh').filter((e) => !e.short));
  feedFake.malformedNext(`UULF${ytId.slice(2)}`);
  const channel = await insertChannel(ytId, 'celebrity');
  const res = await m.feeds.pollChannel(channel.id);
  assert.ok(!('notPolled' in res));
  assert.equal(res.queued, 11);
});

test('feeds.poll on the real queue fans out to every active channel (not candidates or excluded); running it twice changes nothing', async () => {
  const m = await mods();
  const active = await insertChannel(channelIdFor('J'), 'celebrity');
  feedFake.setLongFormFeed(active.youtubeChannelId, entriesFor('jj').filter((e) => !e.short));
  const candidate = await insertChannel(channelIdFor('K'), 'celebrity');
  await m.db.getDb().update(m.db.schema.channels).set({ status: 'candidate' }).where(eq(m.db.schema.channels.id, candidate.id));
  feedFake.setLongFormFeed(candidate.youtubeChannelId, entriesFor('kk'));

  const waitFor = async (fn: () => Promise<boolean>, ms = 30_000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await fn()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail('timed out');
  };
  for (let run = 0; run < 2; run++) {
    await m.queue.enqueue('feeds.poll', {});
    await waitFor(async () => {
      const [row] = await m.db.getDb().select().from(m.db.schema.channels).where(eq(m.db.schema.channels.id, active.id));
      const pending = await m.db.getPool().query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name LIKE 'feeds.%' AND state IN ('created','active','retry')`);
      return !!row.feedLastSuccessAt && pending.rows[0].n === 0;
    });
    assert.equal((await videosOf(active.id)).length, 11);
    assert.equal((await videosOf(candidate.id)).length, 0);
  }
  const [c] = await m.db.getDb().select({ n: sql<number>`count(*)::int` }).from(m.db.schema.videos).where(eq(m.db.schema.videos.channelId, candidate.id));
  assert.equal(c.n, 0);
});
