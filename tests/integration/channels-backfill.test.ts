import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { startYoutubeDataFake, type YoutubeDataFake } from '../fakes';

/** Backfill through the fake YouTube Data API: exact range, exact dates, Shorts/live rules, quota ledger. */
let db: { url: string; drop(): Promise<void> };
let app: typeof import('@/src/start');
let fake: YoutubeDataFake;
let dataDir: string;
const CH = 'UCbackfillKR0123456789ab';

const mods = async () => ({
  db: await import('@/src/server/db'),
  channels: await import('@/src/server/channels'),
  backfill: await import('@/src/server/feeds/backfill'),
  quota: await import('@/src/server/ops/quota'),
  clock: await import('@/src/server/clock'),
  config: await import('@/src/server/config'),
  policy: await import('@/src/server/integrations/policy'),
  queue: await import('@/src/server/queue'),
});

/** Two uploads a day (03:00Z and 09:00Z) from 2026-09-01 to 2026-10-30, plus two around the Seoul day boundary. */
const uploads: { id: string; publishedAt: string; duration: string; live?: 'upcoming' }[] = [];
for (let d = 0; d < 60; d++) {
  const day = new Date(Date.UTC(2026, 8, 1 + d));
  for (const hour of [3, 9]) {
    const at = new Date(day.getTime() + hour * 3600_000);
    uploads.push({ id: `bf${String(uploads.length).padStart(9, '0')}`, publishedAt: at.toISOString().replace('.000', ''), duration: 'PT10M5S' });
  }
}
uploads.push({ id: 'bfEdgeIn001', publishedAt: '2026-09-30T15:10:00Z', duration: 'PT20M' }); // 2026-10-01 00:10 KST: inside
uploads.push({ id: 'bfEdgeOut01', publishedAt: '2026-10-10T15:30:00Z', duration: 'PT20M' }); // 2026-10-11 00:30 KST: outside
const shortId = uploads.find((u) => u.publishedAt.startsWith('2026-10-03T03'))!.id;
const liveId = uploads.find((u) => u.publishedAt.startsWith('2026-10-04T09'))!.id;
for (const u of uploads) {
  if (u.id === shortId) u.duration = 'PT59S';
  if (u.id === liveId) {
    u.duration = 'P0D';
    u.live = 'upcoming';
  }
}
const from = new Date('2026-09-30T15:00:00Z'); // 2026-10-01 00:00 KST
const to = new Date('2026-10-10T15:00:00Z'); // 2026-10-11 00:00 KST
const expected = uploads.filter((u) => Date.parse(u.publishedAt) >= from.getTime() && Date.parse(u.publishedAt) < to.getTime());

before(async () => {
  db = await createTestDatabase('backfill');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-backfill-'));
  fake = await startYoutubeDataFake();
  fake.addChannel({ id: CH, handle: '@backfillkr', title: '백필 테스트 채널', subscriberCount: 5000 });
  for (const u of uploads) fake.addVideo({ id: u.id, channelId: CH, title: `영상 ${u.id}`, publishedAt: u.publishedAt, duration: u.duration, liveBroadcastContent: u.live ?? 'none' });
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    TZ: 'Asia/Seoul',
    YOUTUBE_API_KEY: fake.apiKey,
    GOOGLE_API_ROOT_URL: fake.url,
    WORKER_QUEUES: 'channels.backfill',
  });
  delete process.env.YOUTUBE_DAILY_QUOTA;
  delete process.env.APP_ROLE;
  const m = await mods();
  m.config.resetConfig();
  app = await import('@/src/start');
  await app.startApp();
});

beforeEach(async () => {
  const m = await mods();
  m.policy.resetPolicies();
  m.policy.configureProvider('youtube', { backoffInitialMs: 20, backoffMaxMs: 100 });
});

after(async () => {
  const m = await mods();
  m.clock.shiftClock(0);
  await app?.stopApp();
  await fake?.close();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function channelRow() {
  const m = await mods();
  const [row] = await m.db.getDb().select().from(m.db.schema.channels).where(eq(m.db.schema.channels.youtubeChannelId, CH));
  return row;
}

async function storedVideos(channelId: number) {
  const m = await mods();
  return m.db.getDb().select().from(m.db.schema.videos).where(eq(m.db.schema.videos.channelId, channelId));
}

test('a channel is registered by @handle through channels.list; a second registration is a conflict naming the existing id', async () => {
  const m = await mods();
  const [celeb] = await m.db.getDb().insert(m.db.schema.celebrities).values({ name: '백필', aliases: [] }).returning();
  const dto = await m.channels.createChannel({ input: '@backfillkr', kind: 'celebrity', celebrityId: String(celeb.id) });
  assert.equal(dto.youtubeChannelId, CH);
  assert.equal(dto.title, '백필 테스트 채널');
  assert.equal(dto.handle, '@backfillkr');
  assert.equal(dto.status, 'active');
  assert.deepEqual(dto.feed, { lastSuccessAt: null, lastErrorAt: null, lastError: null, consecutiveFailures: 0, lastPolledAt: null, source: null });
  await assert.rejects(m.channels.createChannel({ input: `https://www.youtube.com/channel/${CH}`, kind: 'celebrity', celebrityId: String(celeb.id) }), (err: Error & { code?: string; existingId?: string }) => err.code === 'conflict' && err.existingId === dto.id);
  await assert.rejects(m.channels.createChannel({ input: '@nobody-here', kind: 'media' }), (err: Error & { code?: string; field?: string }) => err.code === 'bad_request' && err.field === 'input' && /@nobody-here/.test(err.message));
});

test('backfill stores exactly the uploads inside the range with exact dates, applies the Shorts/live rules, and the ledger counts the units', async () => {
  const m = await mods();
  const channel = await channelRow();
  const unitsBefore = await m.quota.youtubeUnitsUsedToday();
  const fakeBefore = fake.quotaUnits();
  const pagesBefore = fake.count('playlistItems');

  const result = await m.backfill.backfillChannel(channel.id, from, to);
  assert.ok(!('notRun' in result));
  assert.equal(result.inRange, expected.length);
  const rows = await storedVideos(channel.id);
  assert.deepEqual(rows.map((v) => v.youtubeId).sort(), expected.map((u) => u.id).sort());
  for (const u of expected) {
    const row = rows.find((v) => v.youtubeId === u.id)!;
    assert.equal(row.publishedAt?.toISOString(), new Date(u.publishedAt).toISOString(), `exact date of ${u.id}`);
  }
  assert.ok(rows.some((v) => v.youtubeId === 'bfEdgeIn001'));
  assert.ok(!rows.some((v) => v.youtubeId === 'bfEdgeOut01'));
  const short = rows.find((v) => v.youtubeId === shortId)!;
  assert.equal(short.stage, 'skipped');
  assert.equal(short.skipRule, 'shorts_duration');
  const live = rows.find((v) => v.youtubeId === liveId)!;
  assert.equal(live.stage, 'skipped');
  assert.equal(live.skipRule, 'upcoming_live');
  const normal = rows.find((v) => v.youtubeId === 'bfEdgeIn001')!;
  assert.equal(normal.stage, 'queued');
  assert.equal(normal.durationSeconds, 1200);
  assert.equal(normal.celebrityId, channel.celebrityId);

  // Uploads are newest first: paging stops once it passes `from` (2 of the 3 pages).
  assert.equal(fake.count('playlistItems') - pagesBefore, 2);
  const spent = fake.quotaUnits() - fakeBefore;
  assert.equal(await m.quota.youtubeUnitsUsedToday(), unitsBefore + spent, 'the ledger counts every unit YouTube counted');
  assert.equal(spent, 3, '2 playlistItems pages + 1 videos.list batch');

  // Again: nothing new.
  const again = await m.backfill.backfillChannel(channel.id, from, to);
  assert.ok(!('notRun' in again));
  assert.equal(again.created, 0);
  assert.equal((await storedVideos(channel.id)).length, expected.length);
});

test('the quota ledger refuses work that would exceed the daily quota, naming the reset; a new Pacific day resets it', async () => {
  const m = await mods();
  const channel = await channelRow();
  const used = await m.quota.youtubeUnitsUsedToday();
  process.env.YOUTUBE_DAILY_QUOTA = String(used + 1);
  m.config.resetConfig();
  try {
    const before = fake.quotaUnits();
    await assert.rejects(m.backfill.backfillChannel(channel.id, from, to), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'budget_exhausted');
      assert.match(err.message, /quota/);
      assert.match(err.message, /resets at \d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z/);
      return true;
    });
    assert.equal(fake.quotaUnits() - before, 1, 'the call that fit was made, the next one was refused before calling');
    const status = await m.quota.youtubeQuotaStatus();
    assert.equal(status.usedUnits, used + 1);
    assert.equal(new Date(status.resetsAt).getTime(), m.quota.youtubeQuotaResetsAt().getTime());

    // Tomorrow (Pacific), the ledger starts from zero.
    const reset = m.quota.youtubeQuotaResetsAt();
    m.clock.shiftClock(reset.getTime() - Date.now() + 60_000);
    assert.equal(await m.quota.youtubeUnitsUsedToday(), 0);
    const ok = await m.backfill.backfillChannel(channel.id, from, to);
    assert.ok(!('notRun' in ok));
  } finally {
    m.clock.shiftClock(0);
    delete process.env.YOUTUBE_DAILY_QUOTA;
    m.config.resetConfig();
  }
});

test('the Pacific quota day resets at midnight Los Angeles time (DST aware)', async () => {
  const m = await mods();
  assert.equal(m.quota.youtubeQuotaDay(new Date('2026-11-26T07:59:00Z')), '2026-11-25');
  assert.equal(m.quota.youtubeQuotaDay(new Date('2026-11-26T08:00:00Z')), '2026-11-26');
  assert.equal(m.quota.youtubeQuotaResetsAt(new Date('2026-11-26T12:00:00Z')).toISOString(), '2026-11-27T08:00:00.000Z');
  assert.equal(m.quota.youtubeQuotaResetsAt(new Date('2026-07-01T12:00:00Z')).toISOString(), '2026-07-02T07:00:00.000Z');
});

test('requestBackfill queues the job (a day range in Seoul time) and the real worker stores the same videos; twice changes nothing', async () => {
  const m = await mods();
  const channel = await channelRow();
  // Remove what the service-level test stored so the job has work to do.
  await m.db.getDb().delete(m.db.schema.videos).where(eq(m.db.schema.videos.channelId, channel.id));
  for (let run = 0; run < 2; run++) {
    const req = await m.channels.requestBackfill(String(channel.id), { from: '2026-10-01', to: '2026-10-10' });
    assert.equal(req.from, from.toISOString());
    assert.equal(req.to, to.toISOString());
    const until = Date.now() + 30_000;
    for (;;) {
      const pending = await m.db.getPool().query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'channels.backfill' AND state IN ('created','active','retry')`);
      if (pending.rows[0].n === 0) break;
      if (Date.now() > until) assert.fail('backfill job did not finish');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual((await storedVideos(channel.id)).map((v) => v.youtubeId).sort(), expected.map((u) => u.id).sort());
    // The channel says how the backfill went: the range, the uploads in it, and how many were new.
    const dto = await m.channels.getChannelDto(String(channel.id));
    assert.equal(dto.backfill?.state, 'done');
    assert.equal(dto.backfill?.fromDay, '2026-10-01');
    assert.equal(dto.backfill?.toDay, '2026-10-10');
    assert.equal(dto.backfill?.from, from.toISOString());
    assert.equal(dto.backfill?.to, to.toISOString());
    assert.equal(dto.backfill?.found, expected.length);
    assert.equal(dto.backfill?.stored, run === 0 ? expected.length : 0, run === 0 ? 'all new the first time' : 'nothing new the second time');
    assert.ok(dto.backfill?.finishedAt);
  }
  await assert.rejects(m.channels.requestBackfill(String(channel.id), { from: '2026-10-10', to: '2026-10-01' }), (err: Error & { code?: string; field?: string }) => err.code === 'bad_request' && err.field === 'to');
});

test('without YOUTUBE_API_KEY, backfill and discovery say the Data API is not configured', async () => {
  const m = await mods();
  const channel = await channelRow();
  delete process.env.YOUTUBE_API_KEY;
  m.config.resetConfig();
  try {
    await assert.rejects(m.channels.requestBackfill(String(channel.id), { from: '2026-10-01', to: '2026-10-02' }), (err: Error & { code?: string }) => err.code === 'not_configured' && /YOUTUBE_API_KEY/.test(err.message));
    const { discoverChannels } = await import('@/src/server/channels/discovery');
    await assert.rejects(discoverChannels({ query: '아이유' }), (err: Error & { code?: string }) => err.code === 'not_configured');
    await assert.rejects(m.channels.createChannel({ input: '@someone', kind: 'media' }), (err: Error & { code?: string }) => err.code === 'bad_request' && /API key/.test(err.message));
  } finally {
    process.env.YOUTUBE_API_KEY = fake.apiKey;
    m.config.resetConfig();
  }
});

test('discovery scores candidates with visible signals, stores them as candidates, enforces the search budget', async () => {
  const m = await mods();
  const { discoverChannels } = await import('@/src/server/channels/discovery');
  await m.db.getDb().insert(m.db.schema.celebrities).values({ name: '아이유', aliases: ['IU', '이지은'] });
  fake.addChannel({ id: 'UCiuOfficialKR000000000a', handle: '@dlwlrma', title: '이지금 [IU Official]', description: 'IU Official YouTube Channel\nhttps://www.instagram.com/dlwlrma\nEDAM Entertainment', subscriberCount: 9_000_000, videoCount: 600, publishedAt: '2014-01-01T00:00:00Z' });
  fake.addChannel({ id: 'UCiuFanKR000000000000000', handle: '@iufancam', title: '아이유 직캠 모음', description: '팬이 만든 비공식 팬채널입니다', subscriberCount: 20_000, videoCount: 50, publishedAt: '2022-01-01T00:00:00Z' });
  fake.setSearchResults('아이유', [{ channelId: 'UCiuFanKR000000000000000' }, { channelId: 'UCiuOfficialKR000000000a' }]);
  const res = await discoverChannels({ query: '아이유' });
  assert.equal(res.items.length, 2);
  assert.equal(res.items[0].youtubeChannelId, 'UCiuOfficialKR000000000a', 'the official channel ranks first');
  assert.ok(res.items.every((c) => c.status === 'candidate' && c.discovery?.query === '아이유'));
  const fan = res.items[1];
  assert.ok((fan.discovery?.score ?? 100) < (res.items[0].discovery?.score ?? 0));
  assert.ok(((fan.discovery?.signals as { fanOrAiSigns: string[] }).fanOrAiSigns).length > 0);
  assert.ok(((res.items[0].discovery?.signals as { officialSigns: string[] }).officialSigns).length > 0);
  assert.equal(res.searchBudget.used, 1);

  // Approve one, exclude the other; a re-discovery keeps their decisions.
  await m.channels.updateChannel(res.items[0].id, { status: 'active' });
  await m.channels.updateChannel(fan.id, { status: 'excluded' });
  const again = await discoverChannels({ query: '아이유' });
  assert.deepEqual(again.items.map((c) => c.status).sort(), ['active', 'excluded']);

  process.env.YOUTUBE_SEARCH_DAILY_BUDGET = '2';
  m.config.resetConfig();
  try {
    const before = fake.count('search');
    await assert.rejects(discoverChannels({ query: '아이유' }), (err: Error & { code?: string }) => err.code === 'budget_exhausted' && /search budget/.test(err.message) && /resets at/.test(err.message));
    assert.equal(fake.count('search'), before, 'no search call beyond the budget');
  } finally {
    delete process.env.YOUTUBE_SEARCH_DAILY_BUDGET;
    m.config.resetConfig();
  }
});

test('discovery with a period searches videos published in it and groups them by channel', async () => {
  const m = await mods();
  const { discoverChannels } = await import('@/src/server/channels/discovery');
  fake.addChannel({ id: 'UCperiodKR00000000000000', handle: '@periodkr', title: '기간 채널', subscriberCount: 1000, videoCount: 10, publishedAt: '2025-01-01T00:00:00Z' });
  fake.addVideo({ id: 'perVid00001', channelId: 'UCperiodKR00000000000000', title: '카리나 추천템', publishedAt: '2026-11-10T10:00:00Z' });
  fake.addVideo({ id: 'perVid00002', channelId: 'UCperiodKR00000000000000', title: '카리나 메이크업', publishedAt: '2026-11-12T10:00:00Z' });
  fake.addVideo({ id: 'perVid00003', channelId: 'UCperiodKR00000000000000', title: '카리나 옛날 영상', publishedAt: '2025-01-12T10:00:00Z' });
  const before = fake.requests.length;
  const res = await discoverChannels({ query: '카리나', from: '2026-11-01', to: '2026-11-30' });
  const search = fake.requests.slice(before).find((r) => r.path === '/youtube/v3/search')!;
  assert.equal(search.query.type, 'video');
  assert.equal(search.query.regionCode, 'KR');
  assert.equal(search.query.relevanceLanguage, 'ko');
  assert.equal(search.query.publishedAfter, '2026-10-31T15:00:00.000Z');
  const found = res.items.find((c) => c.youtubeChannelId === 'UCperiodKR00000000000000');
  assert.ok(found);
  assert.equal((found.discovery?.signals as { hits: number }).hits, 2, 'two videos of the channel fall in the period');
  assert.equal(found.status, 'candidate');
  await assert.rejects(discoverChannels({ query: '카리나', from: '2026-11-01' }), (err: Error & { field?: string }) => err.field === 'to');
  void m;
});
