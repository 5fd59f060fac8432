import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assText,
  boxesInSource,
  buildAss,
  cardTimes,
  cropXAt,
  cropXExpr,
  planCrop,
  reelInputKey,
  reelSpan,
  subtitleLines,
  type BoxAt,
  type ReelInputs,
} from '@/src/server/reels/plan';

const HD = { width: 1280, height: 720 };
const span = { start: 10, duration: 20 };
const box = (x: number, width = 200): BoxAt['box'] => ({ x, y: 200, width, height: 300 });
const inside = (plan: ReturnType<typeof planCrop>, t: number, b: BoxAt['box']) => {
  const x = cropXAt(plan, t);
  return x <= b.x && b.x + b.width <= x + plan.width && x >= 0;
};

test('no box: a full-height 9:16 window in the centre', () => {
  const p = planCrop(HD, [], span);
  assert.equal(p.height, 720);
  assert.equal(p.width, 404);
  assert.deepEqual(p.keys, [{ t: 0, x: Math.round((1280 - 404) / 2) }]);
});

test('an off-centre product: the window sits on it, not in the centre', () => {
  const b = box(1000, 150);
  const p = planCrop(HD, [{ t: 15, box: b }], span);
  assert.equal(p.width, 404);
  for (const t of [0, 5, 10, 20]) assert.ok(inside(p, t, b), `box inside at ${t}`);
  assert.equal(cropXAt(p, 5), 1075 - 202, 'centred on the product');
});

test('a product wider than 9:16 widens the window (never cut off)', () => {
  const b = box(500, 500);
  const p = planCrop(HD, [{ t: 12, box: b }], span);
  assert.ok(p.width >= 500 * 1.2 - 2 && p.width % 2 === 0);
  assert.ok(inside(p, 2, b));
});

test('a moving product: each sighting inside, the pan glides (≤ 0.8 s) and holds between', () => {
  const boxes: BoxAt[] = [
    { t: 11, box: box(50) },
    { t: 14, box: box(60) },
    { t: 20, box: box(1000) },
  ];
  const p = planCrop(HD, boxes, span);
  for (const b of boxes) assert.ok(inside(p, b.t - span.start, b.box), `inside at ${b.t}`);
  assert.equal(cropXAt(p, 1), cropXAt(p, 4), 'still while the boxes fit together');
  const moving = p.keys.slice(1);
  assert.equal(moving.length, 2);
  assert.ok(moving[1].t - moving[0].t <= 0.8 + 1e-9);
  // 30 fps: no frame-to-frame jump larger than the pan's speed allows
  let last = cropXAt(p, 0);
  for (let f = 1; f <= 600; f++) {
    const x = cropXAt(p, f / 30);
    assert.ok(Math.abs(x - last) <= (1280 - 404) / (0.8 * 30) + 1, `jump at frame ${f}`);
    last = x;
  }
});

test('the ffmpeg expression is the same function as cropXAt', () => {
  const p = planCrop(HD, [{ t: 11, box: box(50) }, { t: 20, box: box(1000) }], span);
  const expr = cropXExpr(p);
  const evalExpr = (t: number) =>
    // the expression uses only if(), lt(), + - * / and numbers: evaluate it as JS
    Function('t', `const lt = (a, b) => (a < b ? 1 : 0); const iff = (c, a, b) => (c ? a : b); return ${expr.replaceAll('if(', 'iff(')};`)(t) as number;
  for (const t of [0, 3, 5.1, 5.5, 5.9, 6.3, 9.9, 19]) assert.ok(Math.abs(evalExpr(t) - cropXAt(p, t)) < 1e-6, `t=${t}`);
});

test('boxes from 960-wide analysed frames are scaled to the source', () => {
  assert.deepEqual(boxesInSource([{ t: 1, box: { x: 96, y: 54, width: 96, height: 96 } }], 960, 1920)[0].box, { x: 192, y: 108, width: 192, height: 192 });
  assert.deepEqual(boxesInSource([{ t: 1, box: box(5) }], null, 1920)[0].box, box(5));
});

test('the draft is the clip, capped at 60 s and at the end of the video', () => {
  assert.deepEqual(reelSpan(20, 45, 60), { start: 20, duration: 25 });
  assert.deepEqual(reelSpan(10, 200, 600), { start: 10, duration: 60 });
  assert.deepEqual(reelSpan(50, 70, 60), { start: 50, duration: 10 });
});

test('subtitles: the transcript inside the clip, timed from its start; none over the end card', () => {
  const lines = subtitleLines(
    [
      { start: 2, end: 8, text: '인사' },
      { start: 21, end: 26, text: '라운드랩  독도\n토너예요' },
      { start: 28, end: 35, text: '끝' },
    ],
    span,
    span.duration,
  );
  assert.deepEqual(lines, [
    { start: 11, end: 16, text: '라운드랩 독도 토너예요' },
    { start: 18, end: 20, text: '끝' },
  ]);
  const ass = buildAss({ productName: '토너', celebrityName: '제니', disclosure: '고지', lines, duration: 20 });
  const cards = cardTimes(20);
  assert.deepEqual(cards, { title: [0, 3], end: [17, 20] });
  assert.match(ass, /Dialogue: 0,0:00:11\.00,0:00:16\.00,Sub,,0,0,0,,라운드랩 독도 토너예요/);
  assert.match(ass, /Dialogue: 0,0:00:17\.00,0:00:20\.00,End,/);
  assert.ok(!/,Sub,,0,0,0,,끝/.test(ass), 'a line that starts under the end card is not shown');
  assert.match(ass, /Title,,0,0,0,,토너\\N\{\\fs52\}제니 추천/);
  assert.match(ass, /Disclosure,,0,0,0,,고지/);
  assert.match(ass, /Style: Sub,Noto Sans KR,/);
});

test('text never becomes ASS override tags', () => {
  assert.equal(assText('{\\fs200}큰 글씨\\N'), '｛＼fs200｝큰 글씨＼N');
  assert.equal(assText('a\nb'), 'a\\Nb');
});

test('the input key changes with what the draft shows and only with that', () => {
  const base: ReelInputs = {
    productName: '토너',
    celebrityName: '제니',
    clipStart: 1,
    clipEnd: 9,
    mediaPath: '1/source.mp4',
    segments: [],
    boxes: [],
    boxesFrameWidth: null,
    disclosure: '고지',
  };
  assert.equal(reelInputKey(base), reelInputKey({ ...base }));
  for (const change of [{ productName: '크림' }, { clipEnd: 10 }, { clipStart: 0 }, { celebrityName: '지수' }, { boxes: [{ t: 1, box: box(1) }] }]) {
    assert.notEqual(reelInputKey({ ...base, ...change }), reelInputKey(base), JSON.stringify(change));
  }
});
