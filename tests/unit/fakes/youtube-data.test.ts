import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { google, type youtube_v3 } from 'googleapis';
import { startYoutubeDataFake, type YoutubeDataFake } from '../../fakes/youtube-data/server';

let fake: YoutubeDataFake;
let yt: youtube_v3.Youtube;

before(async () => {
  fake = await startYoutubeDataFake({ apiKey: 'k-test' });
  yt = google.youtube({ version: 'v3', rootUrl: fake.url + '/', auth: 'k-test' });
  fake.addChannel({ id: 'UCkFoodVlogKR01234567890', handle: '@kfoodvlog', title: '한식 브이로그', description: '집밥', subscriberCount: 312000, videoCount: 734, country: 'KR', publishedAt: '2019-03-01T09:00:00Z' });
  fake.addChannel({ id: 'UCcampGearKR0987654321AB', handle: 'campgear', title: '캠핑기어 리뷰', description: '캠핑 장비 리뷰', subscriberCount: 1000 });
  // 120 videos → 3 pages of 50/50/20, newest first
  for (let i = 0; i < 120; i++) {
    const ts = new Date(Date.UTC(2026, 0, 1) + i * 3600_000).toISOString().replace('.000', '');
    fake.addVideo({ id: `vid${String(i).padStart(8, '0')}`, channelId: 'UCkFoodVlogKR01234567890', title: `영상 ${i}`, publishedAt: ts, duration: 'PT12M3S' });
  }
  fake.addVideo({ id: 'liveUpcom01', channelId: 'UCcampGearKR0987654321AB', title: '라이브 예정', publishedAt: '2026-11-23T11:00:02Z', liveBroadcastContent: 'upcoming', duration: 'P0D' });
});
after(async () => {
  await fake.close();
});

test('channels.list by forHandle (with and without @) and by id list', async () => {
  const a = await yt.channels.list({ part: ['snippet', 'contentDetails', 'statistics'], forHandle: '@kfoodvlog' });
  assert.equal(a.status, 200);
  const ch = a.data.items![0];
  assert.equal(ch.id, 'UCkFoodVlogKR01234567890');
  assert.equal(ch.snippet!.title, '한식 브이로그');
  assert.equal(ch.snippet!.customUrl, '@kfoodvlog');
  assert.equal(ch.contentDetails!.relatedPlaylists!.uploads, 'UUkFoodVlogKR01234567890');
  assert.equal(ch.statistics!.subscriberCount, '312000');
  assert.equal(ch.statistics!.videoCount, '734');

  const b = await yt.channels.list({ part: ['snippet'], forHandle: 'CampGear' });
  assert.equal(b.data.items![0].id, 'UCcampGearKR0987654321AB');
  assert.equal(b.data.items![0].statistics, undefined, 'part=snippet only');

  const c = await yt.channels.list({ part: ['id'], id: ['UCcampGearKR0987654321AB', 'UCnope', 'UCkFoodVlogKR01234567890'] });
  assert.deepEqual(c.data.items!.map((i) => i.id), ['UCcampGearKR0987654321AB', 'UCkFoodVlogKR01234567890']);

  const none = await yt.channels.list({ part: ['snippet'], forHandle: '@nobody' });
  assert.equal(none.data.items, undefined);
  assert.equal(none.data.pageInfo!.totalResults, 0);
  const rec = fake.requests.at(-1)!;
  assert.equal(rec.path, '/youtube/v3/channels');
  assert.equal(rec.query.key, 'k-test');
});

test('playlistItems.list pages of 50 through the uploads playlist', async () => {
  const ids: string[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  const before = fake.count('playlistItems');
  do {
    const r = await yt.playlistItems.list({ part: ['snippet', 'contentDetails'], playlistId: 'UUkFoodVlogKR01234567890', maxResults: 50, pageToken });
    pages++;
    ids.push(...r.data.items!.map((i) => i.contentDetails!.videoId!));
    if (pages === 1) {
      assert.equal(r.data.items!.length, 50);
      assert.equal(r.data.pageInfo!.totalResults, 120);
      assert.equal(r.data.items![0].snippet!.position, 0);
    }
    pageToken = r.data.nextPageToken ?? undefined;
  } while (pageToken);
  assert.equal(pages, 3);
  assert.equal(ids.length, 120);
  assert.equal(new Set(ids).size, 120);
  assert.equal(ids[0], 'vid00000119', 'newest first');
  assert.equal(ids[119], 'vid00000000');
  assert.equal(fake.count('playlistItems') - before, 3);

  await assert.rejects(yt.playlistItems.list({ part: ['snippet'], playlistId: 'UUkFoodVlogKR01234567890', maxResults: 51 }), (e: any) => e.status === 400);
});

test('videos.list returns duration and liveBroadcastContent; >50 ids rejected', async () => {
  const r = await yt.videos.list({ part: ['snippet', 'contentDetails'], id: ['vid00000005', 'liveUpcom01', 'missing0000'] });
  assert.equal(r.data.items!.length, 2);
  assert.equal(r.data.items![0].contentDetails!.duration, 'PT12M3S');
  assert.equal(r.data.items![0].snippet!.liveBroadcastContent, 'none');
  assert.equal(r.data.items![1].snippet!.liveBroadcastContent, 'upcoming');
  assert.equal(r.data.items![1].snippet!.channelTitle, '캠핑기어 리뷰');
  const many = Array.from({ length: 51 }, (_, i) => `vid${String(i).padStart(8, '0')}`);
  await assert.rejects(yt.videos.list({ part: ['id'], id: many }), (e: any) => e.status === 400);
});

test('search.list by q and type with publishedAfter and explicit results', async () => {
  const r = await yt.search.list({ part: ['snippet'], q: '캠핑', type: ['channel'], regionCode: 'KR', relevanceLanguage: 'ko', maxResults: 10 });
  assert.deepEqual(r.data.items!.map((i) => i.id!.channelId), ['UCcampGearKR0987654321AB']);
  assert.equal(r.data.regionCode, 'KR');
  assert.equal(fake.requests.at(-1)!.query.relevanceLanguage, 'ko');

  const v = await yt.search.list({ part: ['snippet'], q: '영상', type: ['video'], publishedAfter: '2026-01-05T00:00:00Z', maxResults: 50 });
  assert.equal(v.data.pageInfo!.totalResults, 120 - 96);
  assert.ok(v.data.items!.every((i) => i.id!.kind === 'youtube#video'));

  fake.setSearchResults('추천 채널', [{ channelId: 'UCkFoodVlogKR01234567890' }, { videoId: 'liveUpcom01' }]);
  const s = await yt.search.list({ part: ['snippet'], q: '추천 채널' });
  assert.deepEqual(s.data.items!.map((i) => i.id!.channelId ?? i.id!.videoId), ['UCkFoodVlogKR01234567890', 'liveUpcom01']);
  assert.equal(s.data.items![1].snippet!.liveBroadcastContent, 'upcoming');
  assert.ok(fake.quotaUnits() >= 300);
});

test('wrong or missing key → contract 400 keyInvalid', async () => {
  const bad = google.youtube({ version: 'v3', rootUrl: fake.url + '/', auth: 'wrong' });
  await assert.rejects(bad.channels.list({ part: ['id'], id: ['UCx'] }), (e: any) => {
    assert.equal(e.status, 400);
    assert.equal(e.response.data.error.details[0].reason, 'API_KEY_INVALID');
    return true;
  });
  const noKey = google.youtube({ version: 'v3', rootUrl: fake.url + '/' });
  await assert.rejects(noKey.channels.list({ part: ['id'], id: ['UCx'] }), (e: any) => e.status === 400);
});

test('injected quotaExceeded, playlistNotFound, 500 (retried by gaxios), malformed', async () => {
  fake.quotaExceededNext('videos');
  // a channels call does not consume the videos override
  await yt.channels.list({ part: ['id'], id: ['UCkFoodVlogKR01234567890'] });
  await assert.rejects(yt.videos.list({ part: ['id'], id: ['vid00000001'] }), (e: any) => {
    assert.equal(e.status, 403);
    assert.equal(e.response.data.error.errors[0].reason, 'quotaExceeded');
    return true;
  });

  await assert.rejects(yt.playlistItems.list({ part: ['id'], playlistId: 'PLdoesnotexist' }), (e: any) => e.status === 404 && e.response.data.error.errors[0].reason === 'playlistNotFound');
  fake.playlistNotFoundNext();
  await assert.rejects(yt.playlistItems.list({ part: ['id'], playlistId: 'UUkFoodVlogKR01234567890' }), (e: any) => e.status === 404);

  const n = fake.count('channels');
  fake.failNext(500, undefined, undefined, 'channels');
  const ok = await yt.channels.list({ part: ['id'], id: ['UCkFoodVlogKR01234567890'] });
  assert.equal(ok.data.items![0].id, 'UCkFoodVlogKR01234567890');
  assert.equal(fake.count('channels') - n, 2, 'googleapis retried the 500 once');

  fake.failNext(500, undefined, undefined, 'channels');
  await assert.rejects(yt.channels.list({ part: ['id'], id: ['UCx'] }, { retry: false }), (e: any) => e.status === 500);

  // gaxios does not throw on an unparseable 200 body: it hands back the raw text, so the app must validate.
  fake.malformedNext('videos');
  const bad = await yt.videos.list({ part: ['id'], id: ['vid00000001'] });
  assert.equal(typeof bad.data, 'string');
  assert.equal((bad.data as any).items, undefined);
});
