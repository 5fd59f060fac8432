import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeNumbers, parseSinoNumber, stemPredicate, stripParticle } from '@/src/server/analysis/korean-words';

test('Sino-Korean and native numbers before a counter become digits', () => {
  assert.equal(normalizeNumbers('코팅도 튼튼해서 이 년째 계란이'), '코팅도 튼튼해서 2년째 계란이');
  assert.equal(normalizeNumbers('삼십 분 걸렸는데 이제 십 분이면 끝나요'), '30분 걸렸는데 이제 10분이면 끝나요');
  assert.equal(normalizeNumbers('벌써 세 통째 쓰고 있어요'), '벌써 3통째 쓰고 있어요');
  assert.equal(normalizeNumbers('한 달 만에'), '1달 만에');
  assert.equal(parseSinoNumber('이백오십'), 250);
  assert.equal(parseSinoNumber('오만'), 50000);
});

test('words that only look like numbers stay words', () => {
  for (const t of ['이번에 샀어요', '이 분이 추천해줬어요', '사용감이 좋아요', '일단 써 보세요', '이 제품은']) assert.equal(normalizeNumbers(t), t);
});

test('particles and copulas come off nouns, but not off words that end like one', () => {
  assert.equal(stripParticle('토너예요'), '토너');
  assert.equal(stripParticle('프라이팬이에요'), '프라이팬');
  assert.equal(stripParticle('에어팟은'), '에어팟');
  assert.equal(stripParticle('독도', (s) => s.length > 2), '독도');
});

test('predicate endings come off down to the stem start', () => {
  assert.equal(stemPredicate('바삭하고'), '바삭하');
  assert.equal(stemPredicate('편하더라고요'), '편하');
  assert.equal(stemPredicate('가벼워서'), '가벼우');
  assert.equal(stemPredicate('맛있어요'), '맛있');
});
