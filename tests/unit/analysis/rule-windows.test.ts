import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { analyzeSegment, findRecommendationWindowsByRules } from '@/src/server/analysis/rule-windows';
import type { TranscriptSegment } from '@/src/server/analysis/types';

const fixtureVlog: TranscriptSegment[] = [
  { start: 2, end: 7, text: '안녕하세요 여러분. 오늘은 제 아침 스킨케어 루틴을 보여드릴게요.' },
  { start: 21, end: 27, text: '제가 요즘 진짜 잘 쓰는 게 있는데 라운드랩 독도 토너예요.' },
  { start: 40, end: 44, text: '피부가 진짜 촉촉해져요. 강력 추천합니다.' },
];

const seg = (start: number, text: string, len = 5): TranscriptSegment => ({ start, end: start + len, text });
const overlaps = (w: { start: number; end: number }, a: number, b: number) => w.start < b && w.end > a;

test('fixture vlog: windows around 20–30 s and 39–45 s, none at 0–10 s', () => {
  const windows = findRecommendationWindowsByRules(fixtureVlog);
  assert.equal(windows.length, 2);
  const [first, second] = windows;
  assert.ok(first.start >= 15 && first.start <= 21 && first.end >= 27 && first.end <= 32, JSON.stringify(first));
  assert.ok(second.start <= 40 && second.end >= 44 && second.end <= 50, JSON.stringify(second));
  assert.ok(!windows.some((w) => overlaps(w, 0, 10)));
  for (const w of windows) {
    assert.equal(w.method, 'rule');
    assert.ok(w.confidence > 0 && w.confidence <= 1);
    assert.match(w.reason, /추천 신호/);
  }
  assert.ok(second.signals.includes('praise:강력 추천'));
});

test('a greeting that announces the video is not a window', () => {
  assert.deepEqual(findRecommendationWindowsByRules([seg(0, '안녕하세요 여러분 오늘은 제 저녁 루틴을 보여드릴게요.'), seg(6, '퇴근하고 집에 오면 일단 씻어요.')]), []);
  assert.equal(analyzeSegment(seg(0, '안녕하세요 여러분, 오늘은 제 인생템들을 소개해 드릴게요.'), 0).suppressedBy, 'video_intro');
});

test('"이거 보여드릴게요" about a product does fire', () => {
  const w = findRecommendationWindowsByRules([seg(10, '아 그리고 이거 보여드릴게요. 제가 진짜 애정하는 향수인데요,'), seg(16, '향이 은은하게 오래 가서 매일 뿌려요.')]);
  assert.equal(w.length, 1);
});

test('negation does not fire', () => {
  const segments = [seg(0, '이 앰플은 좀 별로였어요.'), seg(6, '그래서 저는 솔직히 추천 안 해요.'), seg(12, '커버력은 괜찮은데 재구매 의사는 없어요.'), seg(18, '이건 진짜 비추예요.')];
  assert.deepEqual(findRecommendationWindowsByRules(segments), []);
  assert.equal(analyzeSegment(seg(0, '추천하지 않아요'), 0).matches.length, 0);
});

test('"색깔별로 다 샀어요" is not the negative 별로', () => {
  const a = analyzeSegment(seg(0, '색이 너무 예쁘고 가격도 착해서 색깔별로 다 샀어요.'), 0);
  assert.equal(a.suppressedBy, null);
  assert.ok(a.matches.some((m) => m.label === '색깔별로 샀어요'));
});

test('"진짜" alone never fires', () => {
  const segments = ['진짜 오랜만이에요.', '진짜 정신이 없었어요.', '아 진짜 허리 아프다.', '진짜 진짜 힘든 하루였다.'].map((t, i) => seg(i * 6, t));
  assert.deepEqual(findRecommendationWindowsByRules(segments), []);
  for (const s of segments) assert.equal(analyzeSegment(s, 0).matches.length, 0);
});

test('food chatter and praise of places do not fire', () => {
  const food = [seg(0, '와 국물 진짜 맛있다. 바지락이 엄청 많이 들어있어요.'), seg(6, '여기 겉절이는 꼭 드셔보세요. 진짜 최고예요.')];
  assert.deepEqual(findRecommendationWindowsByRules(food), []);
  const place = [seg(0, '여기 산책로가 넓어서 진짜 좋아요. 강력 추천해요.')];
  assert.deepEqual(findRecommendationWindowsByRules(place), []);
});

test('spacing variants and NFD input are normalized', () => {
  const spaced = findRecommendationWindowsByRules([seg(0, '제가 원래 잘 쓰는 마스크팩이에요.'), seg(5, '꼭 써보세요.')]);
  const tight = findRecommendationWindowsByRules([seg(0, '제가 원래 잘쓰는 마스크팩이에요.'), seg(5, '꼭써보세요.')]);
  assert.equal(spaced.length, 1);
  assert.deepEqual(tight.map((w) => w.signals), spaced.map((w) => w.signals));
  const nfd = findRecommendationWindowsByRules([seg(0, '강력 추천합니다. 인생템이에요.'.normalize('NFD'))]);
  assert.equal(nfd.length, 1);
});

test('windows are padded, clamped, at least 5 s and at most 60 s', () => {
  const short = findRecommendationWindowsByRules([seg(0, '인트로', 1), seg(1, '강력 추천해요. 인생템이에요.', 1), seg(30, '끝', 1)]);
  assert.equal(short.length, 1);
  assert.equal(short[0].start, 0);
  assert.ok(short[0].end - short[0].start >= 5);
  const long = Array.from({ length: 30 }, (_, i) => seg(i * 4, i % 2 ? '향이 진짜 좋아요.' : '매일 써요. 재구매했어요.', 4));
  const windows = findRecommendationWindowsByRules(long);
  assert.ok(windows.length >= 2);
  for (const w of windows) assert.ok(w.end - w.start <= 60, JSON.stringify(w));
  for (let i = 1; i < windows.length; i++) assert.ok(windows[i].start >= windows[i - 1].end);
});

test('options are respected (no config reads)', () => {
  const w = findRecommendationWindowsByRules(fixtureVlog, { padBeforeSec: 0, padAfterSec: 0, minDurationSec: 1 });
  assert.equal(w[0].start, 21);
  assert.equal(w[0].end, 27);
});

test('confidence grows with the number and strength of signals', () => {
  const [weak] = findRecommendationWindowsByRules([seg(0, '향이 좋아요. 매일 써요.')]);
  const [strong] = findRecommendationWindowsByRules([seg(0, '향이 좋아요. 매일 써요. 벌써 세 통째예요. 강력 추천해요.')]);
  assert.ok(strong.confidence > weak.confidence);
});

test('everyday wording adds up: purchase, honest experience, effect and satisfaction words make a window together', () => {
  const talk = [seg(30, '이 앰플 지난달에 샀는데요.'), seg(36, '솔직히 확실히 달라요.'), seg(42, '완전 만족이에요.')];
  const [w, ...rest] = findRecommendationWindowsByRules(talk);
  assert.equal(rest.length, 0);
  assert.ok(w.start <= 30 && w.end >= 47, `${w.start}-${w.end}`);
  assert.deepEqual(findRecommendationWindowsByRules([seg(30, '오늘 날씨 진짜 좋네요.')]), [], 'one weak word is not a recommendation');
});

test('every labelled fixture parses and has a valid shape, in the tuning and the held-out sets', () => {
  for (const [folder, min] of [['transcripts', 24], ['transcripts-holdout', 10]] as const) {
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures', folder);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= min, folder);
    for (const f of files) {
      const fx = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      const last = fx.segments.at(-1).end;
      assert.ok(last >= 30 && last <= 240, f);
      assert.ok(Array.isArray(fx.labels.windows), f);
      for (const w of fx.labels.windows) assert.ok(w.start < w.end && w.end <= last, `${f}: ${w.start}-${w.end}`);
    }
  }
});
