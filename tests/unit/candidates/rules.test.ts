import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTransition, allowedTransitions } from '@/src/server/candidates/transitions';
import { decodeCursor, encodeCursor } from '@/src/server/candidates/cursor';
import { parseCoupangUrl } from '@/src/server/candidates/coupang-link';
import { withDisclosure } from '@/src/server/candidates/dto';
import { listCandidatesQuery, tabOfStatus } from '@/src/server/candidates/schemas';
import { COUPANG_DISCLOSURE } from '@/src/server/analysis/synthesis-copy';
import { candidateStatuses } from '@/src/server/db/schema/candidates';
import { contentTypeOf, parseRange } from '@/app/api/media/range';
import { youtubeClipUrl } from '@/app/_components/candidates/clip-player';

test('the status graph of PRODUCT.md, and nothing else', () => {
  const allowed = new Set(Object.entries(allowedTransitions).flatMap(([from, tos]) => tos.map((to) => `${from}>${to}`)));
  assert.deepEqual(
    [...allowed].sort(),
    [
      'approved>published',
      'filtered_no_coupang>needs_review',
      'high_ppl_risk>archived',
      'high_ppl_risk>needs_review',
      'low_score_filtered>archived',
      'low_score_filtered>needs_review',
      'needs_review>approved',
      'needs_review>rejected',
      'needs_review>under_revision',
      'under_revision>needs_review',
    ].sort(),
  );
  for (const from of candidateStatuses) {
    for (const to of candidateStatuses) {
      const r = checkTransition(from, to, { hasCoupangLink: true });
      assert.equal(r.ok, allowed.has(`${from}>${to}`), `${from}>${to}`);
      if (!r.ok) assert.match(r.reason, new RegExp(from === to ? 'already' : `${from} to ${to}`));
    }
  }
  const noLink = checkTransition('filtered_no_coupang', 'needs_review', { hasCoupangLink: false });
  assert.equal(noLink.ok, false);
  assert.match((noLink as { reason: string }).reason, /Coupang link/);
});

test('tabs: rejected holds archived; every status has a tab', () => {
  assert.equal(tabOfStatus('archived'), 'rejected');
  assert.equal(tabOfStatus('published'), 'published');
  for (const s of candidateStatuses) assert.ok(tabOfStatus(s));
});

test('cursor round-trips and is bound to its sort and order', () => {
  const c = encodeCursor({ s: 'created', o: 'asc', v: '2026-01-01 00:00:00.123456+00', id: 42 });
  assert.deepEqual(decodeCursor(c, 'created', 'asc'), { s: 'created', o: 'asc', v: '2026-01-01 00:00:00.123456+00', id: 42 });
  assert.throws(() => decodeCursor(c, 'score', 'asc'), /another sort/);
  assert.throws(() => decodeCursor(c, 'created', 'desc'), /another sort/);
  assert.throws(() => decodeCursor('!!!', 'score', 'desc'), /not valid/);
  assert.throws(() => decodeCursor(Buffer.from('["score","desc",1,"x"]').toString('base64url'), 'score', 'desc'), /not valid/);
  assert.equal(decodeCursor(encodeCursor({ s: 'category', o: 'desc', v: null, id: 7 }), 'category', 'desc').v, null);
});

test('list query: defaults, clamping, refusals', () => {
  const d = listCandidatesQuery.parse({});
  assert.deepEqual([d.tab, d.sort, d.order, d.limit], ['needs_review', 'score', 'desc', 50]);
  assert.equal(listCandidatesQuery.parse({ limit: '1000' }).limit, 100);
  assert.equal(listCandidatesQuery.parse({ limit: '-3' }).limit, 1);
  assert.equal(listCandidatesQuery.parse({ q: '' }).q, undefined);
  assert.throws(() => listCandidatesQuery.parse({ limit: 'ten' }));
  assert.throws(() => listCandidatesQuery.parse({ scoreMax: '101' }));
});

test('Coupang links: coupang.com hosts only, https, no credentials', () => {
  assert.equal(parseCoupangUrl('https://www.coupang.com/vp/products/1?itemId=2').toString(), 'https://www.coupang.com/vp/products/1?itemId=2');
  assert.equal(parseCoupangUrl('http://link.coupang.com/a/abc').toString(), 'https://link.coupang.com/a/abc');
  for (const bad of ['https://coupang.com.evil.com/', 'https://evilcoupang.com/', 'ftp://www.coupang.com/x', 'https://u:p@www.coupang.com/', 'nope']) {
    assert.throws(() => parseCoupangUrl(bad), /url/, bad);
  }
});

test('the caption always carries the disclosure line once', () => {
  assert.equal(withDisclosure('캡션'), `캡션\n\n${COUPANG_DISCLOSURE}`);
  assert.equal(withDisclosure(`캡션\n\n${COUPANG_DISCLOSURE}`), `캡션\n\n${COUPANG_DISCLOSURE}`);
  assert.equal(withDisclosure(null), null);
});

test('HTTP ranges and content types of the media route', () => {
  assert.equal(parseRange(null, 100), null);
  assert.deepEqual(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
  assert.deepEqual(parseRange('bytes=90-', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRange('bytes=-10', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRange('bytes=95-200', 100), { start: 95, end: 99 });
  assert.deepEqual(parseRange('bytes=0-1, 5-6', 100), { start: 0, end: 1 });
  assert.equal(parseRange('bytes=100-', 100), 'unsatisfiable');
  assert.equal(parseRange('bytes=9-3', 100), 'unsatisfiable');
  assert.equal(parseRange('items=1-2', 100), null);
  assert.equal(contentTypeOf('a/source.MP4'), 'video/mp4');
  assert.equal(contentTypeOf('a/crops/w1.jpg'), 'image/jpeg');
  assert.equal(contentTypeOf('a/source.webm'), 'video/webm');
  assert.equal(contentTypeOf('a/unknown.bin'), 'application/octet-stream');
});

test('the YouTube embed starts at the clip and loops it', () => {
  assert.equal(youtubeClipUrl('abcDEF12345', 12.7, 20.2), 'https://www.youtube-nocookie.com/embed/abcDEF12345?start=12&end=21&loop=1&playlist=abcDEF12345');
});
