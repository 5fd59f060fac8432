import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '@/src/server/errors';
import { parseYoutubeFeed } from '@/src/server/integrations/youtube-feed/parse';

const sharedDir = process.env.SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
const sampleFeed = () => fs.readFileSync(path.join(sharedDir, 'contracts/youtube-rss/channel-feed.xml'), 'utf8');

function assertInvalidFeed(fn: () => unknown, detail: RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DomainError);
    assert.equal(error.code, 'upstream_failed');
    assert.match(error.message, /^YouTube feed is not valid Atom: /);
    assert.match(error.message, detail);
    return true;
  });
}

const wrap = (entries: string, head = '<yt:channelId>UCkFoodVlogKR01234567890</yt:channelId><title>t</title>') =>
  `<?xml version="1.0" encoding="UTF-8"?><feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" ` +
  `xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">${head}${entries}</feed>`;

const entry = (id: string, extra = '') =>
  `<entry><yt:videoId>${id}</yt:videoId><yt:channelId>UCkFoodVlogKR01234567890</yt:channelId><title>제목</title>` +
  `<link rel="alternate" href="https://www.youtube.com/watch?v=${id}"/><published>2026-11-25T10:00:41+00:00</published>${extra}</entry>`;

test('parses the contract channel feed: 15 entries, 4 Shorts links', () => {
  const feed = parseYoutubeFeed(sampleFeed());
  assert.equal(feed.channelId, 'UCkFoodVlogKR01234567890', 'feed-level id without UC is normalized');
  assert.equal(feed.title, '한식 브이로그');
  assert.equal(feed.playlistId, null);
  assert.equal(feed.entries.length, 15);
  assert.deepEqual(
    feed.entries.filter((e) => e.isShortLink).map((e) => e.videoId),
    ['sH2tY5bV6pQ', 'v9Kd-3LmNoP', 'J6kL7zX8cV9', 'S8dF9gH0jK1'],
  );
  assert.ok(feed.entries.every((e) => e.channelId === 'UCkFoodVlogKR01234567890'));
  assert.equal(new Set(feed.entries.map((e) => e.videoId)).size, 15);
});

test('maps the fields of an entry, decoding entities and keeping descriptions', () => {
  const feed = parseYoutubeFeed(sampleFeed());
  const first = feed.entries[0]!;
  assert.equal(first.videoId, 'hP3zX7qW8kA');
  assert.equal(first.title, '10분 완성 김치찌개 | 자취생 필수 냄비 추천');
  assert.equal(first.url, 'https://www.youtube.com/watch?v=hP3zX7qW8kA');
  assert.equal(first.published.toISOString(), '2026-11-25T10:00:41.000Z');
  assert.equal(first.updated?.toISOString(), '2026-11-25T12:31:05.000Z');
  assert.match(first.description, /스타우브 꼬꼬떼 20cm: https:\/\/link\.coupang\.com\/a\/bXyZ12/);
  assert.match(first.description, /\n/);
  assert.equal(first.isShortLink, false);

  const quoted = feed.entries.find((e) => e.videoId === 'Wx4_cV7bN1m')!;
  assert.equal(quoted.title, '주방 꿀템 TOP5 & 솔직 후기 "광고 아님"');
  const amp = feed.entries.find((e) => e.videoId === 'Qm8rT2wE5yU')!;
  assert.match(amp.description, /cDe456\?sub=1&src=yt/);

  const upcoming = feed.entries.find((e) => e.videoId === 'lIv3Up_c0mG')!;
  assert.equal(upcoming.isShortLink, false, 'an upcoming live is not a Short; the Data API decides it is upcoming');
});

test('decodes numeric character references but never double-decodes', () => {
  const feed = parseYoutubeFeed(wrap(entry('AAAAAAAAAAA').replace('<title>제목</title>', '<title>&#xAC00;&#44032; &amp;#44032;</title>')));
  assert.equal(feed.entries[0]!.title, '가가 &#44032;');
});

test('handles playlist feeds and empty feeds', () => {
  const feed = parseYoutubeFeed(
    wrap('', '<yt:playlistId>UULFkFoodVlogKR01234567890</yt:playlistId><yt:channelId>UCkFoodVlogKR01234567890</yt:channelId><title>Uploads</title>'),
  );
  assert.equal(feed.playlistId, 'UULFkFoodVlogKR01234567890');
  assert.equal(feed.channelId, 'UCkFoodVlogKR01234567890');
  assert.deepEqual(feed.entries, []);
});

test('falls back to the self link for the channel id', () => {
  const feed = parseYoutubeFeed(
    wrap('', '<link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id=UCkFoodVlogKR01234567890"/><title>t</title>'),
  );
  assert.equal(feed.channelId, 'UCkFoodVlogKR01234567890');
  assertInvalidFeed(() => parseYoutubeFeed(wrap('', '<title>t</title>')), /names no channel/);
});

test('refuses a billion-laughs payload quickly, before any expansion', () => {
  const lol = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE lolz [',
    ' <!ENTITY lol "lol">',
    ...Array.from({ length: 9 }, (_, i) => {
      const prev = i === 0 ? 'lol' : `lol${i}`;
      return ` <!ENTITY lol${i + 1} "${`&${prev};`.repeat(10)}">`;
    }),
    ']>',
    '<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol9;</title></feed>',
  ].join('\n');
  const started = performance.now();
  assertInvalidFeed(() => parseYoutubeFeed(lol), /DOCTYPE/);
  assert.ok(performance.now() - started < 200, 'refusal must not depend on expansion');
});

test('refuses external-entity (XXE) payloads and stray ENTITY declarations', () => {
  const xxe = '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><feed><title>&xxe;</title></feed>';
  assertInvalidFeed(() => parseYoutubeFeed(xxe), /DOCTYPE/);
  assertInvalidFeed(() => parseYoutubeFeed('<feed><!ENTITY x "y"></feed>'), /ENTITY/);
});

test('refuses malformed XML, non-Atom documents and bad entries with a clear reason', () => {
  assertInvalidFeed(() => parseYoutubeFeed(''), /empty/);
  assertInvalidFeed(() => parseYoutubeFeed('<html><body>Error 404</body>'), /closing tag|Unclosed|html/i);
  assertInvalidFeed(() => parseYoutubeFeed('<html><body>Error 404</body></html>'), /feed/);
  assertInvalidFeed(() => parseYoutubeFeed('not xml at all'), /line 1/);
  assertInvalidFeed(() => parseYoutubeFeed(wrap(entry('short'))), /entry\.0\.yt:videoId.*11-character/);
  assertInvalidFeed(
    () => parseYoutubeFeed(wrap(entry('AAAAAAAAAAA').replace('2026-11-25T10:00:41+00:00', 'yesterday'))),
    /published.*ISO 8601/,
  );
  assertInvalidFeed(() => parseYoutubeFeed(wrap(entry('AAAAAAAAAAA')), { maxLength: 100 }), /more than the 100 allowed/);
});
