import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NEUTRAL_INFLUENCER, scoreCandidate, scoreEndorsement, scoreInfluencer, scoreSentiment, totalScore } from '@/src/server/scoring';

test('total follows the formula exactly', () => {
  const r = scoreCandidate({
    speech: '제가 요즘 진짜 잘 쓰는 게 있는데 라운드랩 독도 토너예요. 피부가 진짜 촉촉해져요. 강력 추천합니다!',
    channel: { subscriberCount: 1_200_000, videoCount: 300, viewCount: 90_000_000 },
    endorsementType: '명시적 추천',
  });
  assert.equal(r.total, Math.round(100 * (0.5 * r.sentiment_score + 0.35 * r.endorsement_score + 0.15 * r.influencer_score)));
  assert.equal(totalScore(1, 1, 1), 100);
  assert.equal(totalScore(0, 0, 0), 0);
  assert.equal(totalScore(0.5, 0.2, 0.9), 46); // 25 + 7 + 13.5 = 45.5 → 46
  for (const v of [r.sentiment_score, r.endorsement_score, r.influencer_score]) assert.ok(v >= 0 && v <= 1);
});

test('sentiment: positive beats negative, negated praise counts as negative', () => {
  const pos = scoreSentiment('진짜 최고예요! 완전 대박 강추!!');
  const neg = scoreSentiment('솔직히 추천 안 해요. 별로였어요.');
  assert.ok(pos.score > neg.score);
  assert.ok(neg.evidence.some((e) => e.startsWith('부정 절 2개') && e.includes('추천안')), JSON.stringify(neg.evidence));
  assert.equal(scoreSentiment('').score, 0);
});

test('calibration: a clear spoken recommendation reaches the review line with neutral channel stats, a complaint does not', () => {
  const fixture = scoreCandidate({ speech: '제가 요즘 진짜 잘 쓰는 게 있는데 라운드랩 독도 토너예요. 피부가 진짜 촉촉해져요. 강력 추천합니다.', endorsementType: '명시적 추천' });
  assert.ok(fixture.total >= 40, `fixture ${fixture.total}`);
  const habit = scoreCandidate({ speech: '테팔 인지니오 프라이팬이에요. 손잡이가 분리돼서 보관이 편하고 코팅도 튼튼해서 이 년째 계란이 안 눌어붙어요.' });
  assert.ok(habit.total >= 40, `habit ${habit.total}`);
  const complaint = scoreCandidate({ speech: '저번에 산 채칼은 그냥 그랬어요. 솔직히 손이 잘 안 가요.' });
  assert.ok(complaint.total < 40, `complaint ${complaint.total}`);
  const mention = scoreCandidate({ speech: '가방에 립밤이 하나 있네요.' });
  assert.ok(mention.total < 40, `mention ${mention.total}`);
});

test('one-syllable lexicon entries do not fire inside ordinary words', () => {
  const s = scoreSentiment('오늘 오후에 음악 듣고 두 개월 동안 친구와 갓 나온 빵');
  assert.ok(!s.evidence.some((e) => /(?:^|[ ,:])(?:오|와|음|개\(강조\)|갓)(?:,|$)/.test(e)), JSON.stringify(s.evidence));
});

test('endorsement uses categories and the endorsement type', () => {
  const plain = scoreEndorsement('발라보면 촉촉해요. 매일 써요.');
  const tutorial = scoreEndorsement('발라보면 촉촉해요. 매일 써요.', '튜토리얼 시연');
  assert.ok(tutorial.score > plain.score);
  assert.ok(plain.evidence.some((e) => e.startsWith('사용:')));
  assert.equal(scoreEndorsement('').score, 0);
});

test('influencer: neutral default without stats, tiers with stats', () => {
  assert.equal(scoreInfluencer().score, NEUTRAL_INFLUENCER);
  assert.ok(scoreInfluencer().evidence[0].includes('중립값'));
  const big = scoreInfluencer({ subscriberCount: 2_000_000, videoCount: 400, viewCount: 200_000_000 });
  const small = scoreInfluencer({ subscriberCount: 500, videoCount: 400, viewCount: 2000 });
  assert.ok(big.score > small.score);
  // scale 0.85, engagement 0.25 → 1.0, consistency neutral 0.5, authenticity 0.5 (videos/subs 0.0002)
  assert.equal(big.score, 0.25 * 0.85 + 0.35 * 1 + 0.25 * 0.5 + 0.15 * 0.5);
});
