import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { startYoutubeFeedFake, channelFeedFromContract, type YoutubeFeedFake } from '../../fakes/youtube-feed/server';

let fake: YoutubeFeedFake;
before(async () => {
  fake = await startYoutubeFeedFake();
});
after(async () => {
  await fake.close();
});

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' });
const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

test('contract feed: 15 entries, 4 shorts, round-trips through fast-xml-parser', async () => {
  const contract = channelFeedFromContract();
  assert.equal(contract.channelId, 'UCkFoodVlogKR01234567890');
  assert.equal(contract.entries.length, 15);
  assert.equal(contract.entries.filter((e) => e.short).length, 4);
  fake.setChannelFeed(contract.channelId, contract.entries, { title: contract.title });

  const res = await fetch(fake.channelFeedUrl(contract.channelId));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /xml/);
  const xml = await res.text();
  assert.equal(XMLValidator.validate(xml), true);
  const doc = parser.parse(xml);
  const entries = asArray(doc.feed.entry);
  assert.equal(entries.length, 15);
  assert.equal(doc.feed.title, '한식 브이로그');
  const first = entries[0];
  assert.equal(first['yt:videoId'], 'hP3zX7qW8kA');
  assert.equal(first['yt:channelId'], 'UCkFoodVlogKR01234567890');
  assert.equal(first.link['@_href'], 'https://www.youtube.com/watch?v=hP3zX7qW8kA');
  assert.equal(first.published, '2026-11-25T10:00:41+00:00');
  assert.equal(first.updated, '2026-11-25T12:31:05+00:00');
  assert.match(first['media:group']['media:description'], /스타우브 꼬꼬떼 20cm/);
  assert.equal(entries[1].link['@_href'], 'https://www.youtube.com/shorts/sH2tY5bV6pQ');
  const req = fake.requests.at(-1)!;
  assert.equal(req.query.channel_id, contract.channelId);
});

test('long-form playlist feed, explicit 404, and unset feed 404', async () => {
  fake.setLongFormFeed('UCabc', [{ videoId: 'vid00000001', title: 'A & B <long>', published: '2026-01-02T03:04:05Z' }]);
  const url = fake.longFormFeedUrl('UCabc');
  assert.ok(url.endsWith('playlist_id=UULFabc'));
  const res = await fetch(url);
  assert.equal(res.status, 200);
  const doc = parser.parse(await res.text());
  const e = asArray(doc.feed.entry)[0];
  assert.equal(e.title, 'A & B <long>');
  assert.equal(e.published, '2026-01-02T03:04:05+00:00');
  assert.equal(e.updated, '2026-01-02T03:04:05+00:00');
  assert.equal(doc.feed['yt:playlistId'], 'UULFabc');

  fake.setLongFormFeed('UCabc', 404);
  assert.equal((await fetch(url)).status, 404);
  assert.equal((await fetch(fake.channelFeedUrl('UCnobody'))).status, 404);
});

test('scripted status sequence per URL and malformed XML', async () => {
  fake.setChannelFeed('UCseq', [{ videoId: 'seq00000001', title: 't', published: '2026-01-01T00:00:00Z', short: true }]);
  fake.setChannelFeed('UCother', []);
  fake.script('UCseq', [500, 503, 'ok', 'malformed']);
  const statuses: number[] = [];
  // an unrelated feed must not consume the script
  assert.equal((await fetch(fake.channelFeedUrl('UCother'))).status, 200);
  for (let i = 0; i < 3; i++) statuses.push((await fetch(fake.channelFeedUrl('UCseq'))).status);
  assert.deepEqual(statuses, [500, 503, 200]);
  const bad = await fetch(fake.channelFeedUrl('UCseq'));
  assert.equal(bad.status, 200);
  assert.notEqual(XMLValidator.validate(await bad.text()), true);
  const good = await fetch(fake.channelFeedUrl('UCseq'));
  assert.equal(XMLValidator.validate(await good.text()), true);

  fake.failNext(429);
  assert.equal((await fetch(fake.channelFeedUrl('UCother'))).status, 429);
  assert.equal((await fetch(fake.channelFeedUrl('UCother'))).status, 200);
});
