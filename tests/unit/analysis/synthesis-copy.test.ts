import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captionSummary, hookSentence, recommendedTitles, type CopyInput } from '@/src/server/analysis/synthesis-copy';

const input = (celebrityName: string): CopyInput => ({
  celebrityName,
  videoTitle: '아침 루틴',
  productName: '라운드랩 독도 토너',
  categoryPath: '뷰티 > 스킨케어 > 토너',
  features: [],
  hookQuote: null,
  brandHangul: '라운드랩',
});

test('caption copy picks 이/가 by how a name ending in a digit or a Latin letter is read (src/server/josa.ts)', () => {
  // "아이폰 15이" was written when a digit counted as a consonant: 15 is 십오, 2 is 이, 4 is 사
  const cases: [string, string][] = [
    ['에스파 윈터', '에스파 윈터가'],
    ['김고은', '김고은이'],
    ['아이폰 15', '아이폰 15가'],
    ['NCT 127', 'NCT 127이'],
    ['2NE1', '2NE1이'],
    ['B1A4', 'B1A4가'],
    ['f(x)', 'f(x)가'],
    ['LE SSERAFIM', 'LE SSERAFIM이'],
    ['EXO', 'EXO가'],
  ];
  for (const [name, subject] of cases) {
    assert.equal(hookSentence(input(name)), `${subject} 영상에서 꺼낸 라운드랩 독도 토너`, name);
    assert.ok(captionSummary(input(name)).startsWith(`${subject} 영상 「아침 루틴」에서 소개한`), name);
    assert.equal(recommendedTitles(input(name))[0], `${subject} 요즘 진짜 잘 쓰는 라운드랩 독도 토너`, name);
  }
});
