import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveRange } from '@/src/server/channels/date-range';
import { parseIsoDuration } from '@/src/server/integrations/youtube-data/client';
import { addDays, zonedDayStart } from '@/src/server/ops/quota/zoned-day';

test('zonedDayStart gives the instant a day starts in a zone, across DST', () => {
  assert.equal(zonedDayStart('2026-11-26', 'Asia/Seoul').toISOString(), '2026-11-25T15:00:00.000Z');
  assert.equal(zonedDayStart('2026-11-26', 'America/Los_Angeles').toISOString(), '2026-11-26T08:00:00.000Z');
  assert.equal(zonedDayStart('2026-07-01', 'America/Los_Angeles').toISOString(), '2026-07-01T07:00:00.000Z');
  // DST starts 2026-03-08 in Los Angeles: that day still starts at 08:00Z, the next at 07:00Z.
  assert.equal(zonedDayStart('2026-03-08', 'America/Los_Angeles').toISOString(), '2026-03-08T08:00:00.000Z');
  assert.equal(zonedDayStart('2026-03-09', 'America/Los_Angeles').toISOString(), '2026-03-09T07:00:00.000Z');
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2028-02-28', 1), '2028-02-29');
});

test('resolveRange: days are whole days in the zone with an inclusive end; bad ranges name the field', () => {
  const r = resolveRange('2026-10-01', '2026-10-10', 'Asia/Seoul');
  assert.equal(r.from.toISOString(), '2026-09-30T15:00:00.000Z');
  assert.equal(r.to.toISOString(), '2026-10-10T15:00:00.000Z');
  const exact = resolveRange('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', 'Asia/Seoul');
  assert.equal(exact.to.toISOString(), '2026-10-02T00:00:00.000Z');
  assert.throws(() => resolveRange('2026-10-10', '2026-10-01', 'Asia/Seoul'), (e: Error & { field?: string }) => e.field === 'to');
});

test('ISO 8601 durations from videos.list', () => {
  assert.equal(parseIsoDuration('PT12M3S'), 723);
  assert.equal(parseIsoDuration('PT1H'), 3600);
  assert.equal(parseIsoDuration('P1DT1S'), 86401);
  assert.equal(parseIsoDuration('P0D'), 0);
  assert.equal(parseIsoDuration('PT59S'), 59);
  assert.equal(parseIsoDuration('garbage'), null);
  assert.equal(parseIsoDuration(undefined), null);
});
