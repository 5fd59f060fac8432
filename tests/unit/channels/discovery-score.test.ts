import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameSimilarity, normalizeForSimilarity, scoreDiscoveredChannel } from '@/src/server/channels/discovery-score';

const now = new Date('2026-11-26T00:00:00Z');
const base = { title: '', description: '', handle: null, subscriberCount: null, videoCount: null, publishedAt: null };

test('Hangul similarity works on jamo: exact 1, containment high, near spellings above unrelated names', () => {
  assert.equal(nameSimilarity('아이유', '아이유'), 1);
  assert.ok(nameSimilarity('아이유', '아이유 IU Official') >= 0.6);
  assert.ok(nameSimilarity('아이유', '아이유') > nameSimilarity('아이유', '아이브'));
  assert.ok(nameSimilarity('아이유', '아이브') > nameSimilarity('아이유', '블랙핑크'));
  assert.equal(nameSimilarity('', '아이유'), 0);
  assert.equal(normalizeForSimilarity('IU 아!'), 'iu' + '아'.normalize('NFD'));
});

test('an official-looking channel outranks a fan compilation channel with the same name', () => {
  const official = scoreDiscoveredChannel({
    query: '아이유',
    aliases: ['IU', 'dlwlrma'],
    channel: { ...base, title: '이지금 [IU Official]', description: 'Official channel\nhttps://www.instagram.com/dlwlrma\nEDAM Entertainment', handle: '@dlwlrma', subscriberCount: 9_000_000, videoCount: 600, publishedAt: new Date('2014-01-01T00:00:00Z') },
    now,
  });
  const fan = scoreDiscoveredChannel({
    query: '아이유',
    aliases: ['IU'],
    channel: { ...base, title: '아이유 직캠 모음', description: '비공식 팬채널', subscriberCount: 20_000, videoCount: 50, publishedAt: new Date('2022-01-01T00:00:00Z') },
    now,
  });
  assert.ok(official.score > fan.score, `${official.score} > ${fan.score}`);
  assert.equal(official.signals.handleMatch, 1);
  assert.ok(official.signals.officialSigns.length >= 2);
  assert.deepEqual(fan.signals.fanOrAiSigns.sort(), ['compilation', 'fan channel', 'fancam', 'unofficial'].sort());
  assert.ok(official.score >= 0 && official.score <= 100 && fan.score >= 0);
});

test('AI cover channels are flagged; hidden subscriber counts are noted; cadence is uploads per month', () => {
  const ai = scoreDiscoveredChannel({ query: '아이유', aliases: [], channel: { ...base, title: '아이유 AI 커버', description: 'AI cover songs' }, now });
  assert.ok(ai.signals.fanOrAiSigns.includes('AI cover'));
  assert.ok(ai.signals.notes.includes('subscriber count hidden'));
  const cadence = scoreDiscoveredChannel({ query: 'x', aliases: [], channel: { ...base, title: 'x', videoCount: 24, publishedAt: new Date('2025-11-26T00:00:00Z') }, now });
  assert.ok(cadence.signals.uploadsPerMonth !== null && Math.abs(cadence.signals.uploadsPerMonth - 2) < 0.2);
});
