import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideSkip,
  hasShortsHashtag,
  youtubeVideoIdFromUrl,
} from '@/src/server/videos/shorts-rules';

const ID = 'hP3zX7qW8kA';

test('youtubeVideoIdFromUrl understands every common URL shape', () => {
  const plain = { videoId: ID, isShorts: false };
  assert.deepEqual(youtubeVideoIdFromUrl(`https://www.youtube.com/watch?v=${ID}`), plain);
  assert.deepEqual(youtubeVideoIdFromUrl(`https://youtube.com/watch?v=${ID}&t=42s&si=abc`), plain);
  assert.deepEqual(youtubeVideoIdFromUrl(`https://www.youtube.com/watch?feature=share&v=${ID}`), plain);
  assert.deepEqual(youtubeVideoIdFromUrl(`http://m.youtube.com/watch?v=${ID}`), plain);
  assert.deepEqual(youtubeVideoIdFromUrl(`https://music.youtube.com/watch?v=${ID}&list=RDAMVM`), plain);
  assert.deepEqual(youtubeVideoIdFromUrl(`https://youtu.be/${ID}?si=XyZ&t=10`), plain);
  assert.deepEqual(youtubeVideoIdFromUrl(`youtu.be/${ID}`), plain);
  assert.deepEqual(youtubeVideoIdFromUrl(`www.youtube.com/watch?v=${ID}`), plain);
  assert.deepEqual(youtubeVideoIdFromUrl(`https://www.youtube.com/embed/${ID}?start=30`), plain);
  assert.deepEqual(youtubeVideoIdFromUrl(`https://www.youtube-nocookie.com/embed/${ID}`), plain);
  assert.deepEqual(youtubeVideoIdFromUrl(`https://www.youtube.com/live/${ID}?feature=share`), plain);
  assert.deepEqual(youtubeVideoIdFromUrl(`  https://www.youtube.com/watch?v=${ID}  `), plain);
});

test('youtubeVideoIdFromUrl flags /shorts/ URLs', () => {
  assert.deepEqual(youtubeVideoIdFromUrl('https://www.youtube.com/shorts/sH2tY5bV6pQ'), {
    videoId: 'sH2tY5bV6pQ',
    isShorts: true,
  });
  assert.deepEqual(youtubeVideoIdFromUrl('https://m.youtube.com/shorts/v9Kd-3LmNoP?feature=share'), {
    videoId: 'v9Kd-3LmNoP',
    isShorts: true,
  });
});

test('youtubeVideoIdFromUrl rejects bad ids, other hosts and non-video pages', () => {
  for (const url of [
    'https://www.youtube.com/watch?v=short',
    'https://www.youtube.com/watch?v=hP3zX7qW8kAx',
    'https://www.youtube.com/watch?v=hP3zX7qW8k!',
    'https://youtu.be/',
    'https://www.youtube.com/shorts/',
    'https://www.youtube.com/@dlwlrma',
    'https://www.youtube.com/channel/UCkFoodVlogKR01234567890',
    `https://evil.example/watch?v=${ID}`,
    `https://youtube.com.evil.example/watch?v=${ID}`,
    `javascript:alert(1)//youtube.com/watch?v=${ID}`,
    `ftp://www.youtube.com/watch?v=${ID}`,
    `https://user:pw@www.youtube.com/watch?v=${ID}`,
    'not a url at all',
    '',
  ]) {
    assert.equal(youtubeVideoIdFromUrl(url), null, url);
  }
});

test('hasShortsHashtag needs #shorts as a hashtag, any case', () => {
  assert.equal(hasShortsHashtag('이 칼 하나면 끝 #shorts'), true);
  assert.equal(hasShortsHashtag('#Shorts #주방템'), true);
  assert.equal(hasShortsHashtag('꿀팁(#SHORTS)'), true);
  assert.equal(hasShortsHashtag('꿀팁 ＃shorts'), true);
  assert.equal(hasShortsHashtag('#shortsfood 모음'), false);
  assert.equal(hasShortsHashtag('my#shorts'), false);
  assert.equal(hasShortsHashtag('shorts 모음'), false);
  assert.equal(hasShortsHashtag(undefined), false);
});

test('a long video is not skipped', () => {
  assert.deepEqual(
    decideSkip({ source: 'data_api', url: `https://www.youtube.com/watch?v=${ID}`, durationSeconds: 612, liveBroadcastContent: 'none' }),
    { skip: false },
  );
  assert.deepEqual(decideSkip({ source: 'channel_feed', url: `https://www.youtube.com/watch?v=${ID}`, title: '김치찌개' }), {
    skip: false,
  });
});

test('upcoming and live broadcasts are skipped first', () => {
  const upcoming = decideSkip({ source: 'data_api', liveBroadcastContent: 'upcoming', durationSeconds: 0 });
  assert.equal(upcoming.skip && upcoming.rule, 'upcoming_live');
  const live = decideSkip({ source: 'data_api', liveBroadcastContent: 'live', url: 'https://www.youtube.com/shorts/sH2tY5bV6pQ' });
  assert.equal(live.skip && live.rule, 'live');
  assert.ok(live.skip && /라이브/.test(live.reason) && /live/.test(live.reason));
});

test('a /shorts/ link is skipped, except from the long-form feed', () => {
  const shortsUrl = 'https://www.youtube.com/shorts/sH2tY5bV6pQ';
  const fromChannelFeed = decideSkip({ source: 'channel_feed', url: shortsUrl });
  assert.equal(fromChannelFeed.skip && fromChannelFeed.rule, 'shorts_link');
  assert.ok(fromChannelFeed.skip && /쇼츠/.test(fromChannelFeed.reason) && /Shorts/.test(fromChannelFeed.reason));
  const manual = decideSkip({ source: 'manual', url: shortsUrl, durationSeconds: 600 });
  assert.equal(manual.skip && manual.rule, 'shorts_link');
  assert.deepEqual(decideSkip({ source: 'longform_feed', url: shortsUrl }), { skip: false });
});

test('duration ≤ 180 s is Shorts, only when the duration is known', () => {
  const at180 = decideSkip({ source: 'data_api', durationSeconds: 180 });
  assert.equal(at180.skip && at180.rule, 'shorts_duration');
  assert.ok(at180.skip && at180.reason.includes('180'));
  const fromLongform = decideSkip({ source: 'longform_feed', durationSeconds: 59 });
  assert.equal(fromLongform.skip && fromLongform.rule, 'shorts_duration');
  assert.deepEqual(decideSkip({ source: 'data_api', durationSeconds: 181 }), { skip: false });
  assert.deepEqual(decideSkip({ source: 'data_api', durationSeconds: null }), { skip: false });
  assert.deepEqual(decideSkip({ source: 'data_api', durationSeconds: Number.NaN }), { skip: false });
});

test('#shorts hashtag skips when the duration is unknown, not when it proves a long video', () => {
  const byTitle = decideSkip({ source: 'channel_feed', title: '냉동실 정리 꿀팁 #shorts' });
  assert.equal(byTitle.skip && byTitle.rule, 'shorts_hashtag');
  const byDescription = decideSkip({ source: 'manual', title: '꿀팁', description: '#Shorts #살림' });
  assert.equal(byDescription.skip && byDescription.rule, 'shorts_hashtag');
  assert.deepEqual(decideSkip({ source: 'data_api', title: '풀버전 (#shorts 아님)', durationSeconds: 900 }), {
    skip: false,
  });
  assert.deepEqual(decideSkip({ source: 'longform_feed', title: '하이라이트 #shorts' }), { skip: false });
});
