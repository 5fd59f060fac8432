import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clipSpan, screenWords, showsProduct, visibleSpan } from '@/src/server/visual/visible-span';

/** A video where the product is on screen during [from, to]; probe records what it was asked. */
function onScreen(from: number, to: number, duration = 60) {
  const asked: number[] = [];
  return {
    asked,
    probe: async (t: number) => {
      asked.push(t);
      return t <= duration && t >= from && t <= to;
    },
  };
}
const samples = (start: number, end: number) => Array.from({ length: Math.floor(end - start) }, (_, i) => start + 0.5 + i);

test('screenWords splits OCR lines into words: Hangul from 2 characters, other scripts from 3', () => {
  assert.deepEqual([...screenWords([{ text: 'ROUND LAB' }, { text: '라운드랩 독도 토너' }, { text: '200ml / 6.7 fl.oz' }])], ['round', 'lab', '라운드랩', '독도', '토너', '200ml']);
});

test('showsProduct needs two of the product words (one when only one is known)', () => {
  const words = screenWords([{ text: 'ROUND LAB 1025 DOKDO TONER' }]);
  assert.equal(showsProduct([{ text: 'round lab' }], words), true);
  assert.equal(showsProduct([{ text: 'LAB coat' }], words), false, 'one shared word is a coincidence');
  assert.equal(showsProduct([], words), false);
  assert.equal(showsProduct([{ text: 'TONER' }], screenWords([{ text: 'toner' }])), true);
  assert.equal(showsProduct([{ text: 'anything' }], new Set()), false);
});

test('the fixture case: speech window 19–29 s, card on screen 20–30 s → span ≈ 20–30 s with a handful of probes', async () => {
  const video = onScreen(20, 30);
  const s = samples(19, 29); // 19.5 … 28.5
  const span = await visibleSpan({ samples: s, known: new Map([[19.5, false], [24.5, true]]), probe: video.probe });
  assert.ok(span, 'a span');
  assert.ok(Math.abs(span.start - 20) <= 0.25, `start ${span.start}`);
  assert.ok(Math.abs(span.end - 30) <= 0.25, `end ${span.end}`);
  assert.ok(video.asked.length <= 12, `${video.asked.length} probes`);
  assert.ok(!video.asked.includes(19.5) && !video.asked.includes(24.5), 'known frames are not read again');
  assert.ok(Math.max(...video.asked) <= 31, 'stops looking once the product is gone');
  const clip = clipSpan({ start: 19, end: 29, visibleStart: span.start, visibleEnd: span.end });
  assert.ok(clip.start <= 20 && clip.end >= 30, `clip ${clip.start}–${clip.end} covers the product shot`);
  assert.equal(clip.start, 19, 'the speech that comes before the shot stays in the clip');
});

test('a product on screen longer than the probe limit: the span stops at the limit', async () => {
  const video = onScreen(0, 60);
  const span = await visibleSpan({ samples: samples(20, 25), known: new Map([[22.5, true]]), probe: video.probe, maxExtend: 3 });
  assert.deepEqual(span, { start: 20.5 - 3 - 0.5, end: 24.5 + 3 + 0.5 });
});

test('on screen from the first frame: the span starts at 0', async () => {
  const video = onScreen(0, 5);
  const span = await visibleSpan({ samples: samples(0, 4), known: new Map([[1.5, true]]), probe: video.probe });
  assert.equal(span?.start, 0);
  assert.ok(Math.abs(span!.end - 5) <= 0.25);
  assert.ok(video.asked.every((t) => t >= 0), 'never asks for a negative time');
});

test('past the end of the video nothing shows: the span ends there', async () => {
  const video = onScreen(50, 70, 58);
  const span = await visibleSpan({ samples: samples(50, 57), known: new Map([[53.5, true]]), probe: video.probe });
  assert.ok(span && Math.abs(span.end - 58) <= 0.25, `end ${span?.end}`);
});

test('no read frame shows the product → no span and no probes', async () => {
  const video = onScreen(20, 30);
  assert.equal(await visibleSpan({ samples: samples(40, 45), known: new Map([[42.5, false]]), probe: video.probe }), null);
  assert.equal(video.asked.length, 0);
});

test('clipSpan keeps the speech window when nothing was measured and never shrinks it', () => {
  assert.deepEqual(clipSpan({ start: 19, end: 29 }), { start: 19, end: 29 });
  assert.deepEqual(clipSpan({ start: 19, end: 29, visibleStart: null, visibleEnd: null }), { start: 19, end: 29 });
  assert.deepEqual(clipSpan({ start: 19, end: 29, visibleStart: 22, visibleEnd: 25 }), { start: 19, end: 29 });
  assert.deepEqual(clipSpan({ start: 19, end: 29, visibleStart: 15, visibleEnd: 33 }), { start: 15, end: 33 });
});
