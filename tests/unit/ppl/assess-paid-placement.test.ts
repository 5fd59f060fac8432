import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessPaidPlacement, DEFAULT_PPL_THRESHOLDS, levelOf } from '@/src/server/ppl';

const none = { title: '', description: '', speech: '' };

test('default thresholds come from the reference data', () => {
  assert.equal(DEFAULT_PPL_THRESHOLDS.high, 0.8);
  assert.equal(DEFAULT_PPL_THRESHOLDS.medium, 0.5);
  assert.equal(DEFAULT_PPL_THRESHOLDS.low, 0.2);
});

test('explicit disclosure is high', () => {
  const a = assessPaidPlacement({ ...none, speech: '이 영상은 유료광고를 포함하고 있습니다.' });
  assert.equal(a.level, 'high');
  assert.ok(a.isPpl);
  assert.ok(a.reasons.some((r) => r.pattern === '유료광고' && r.source === 'speech' && r.weight > 0));
  const h = assessPaidPlacement({ ...none, description: '오늘의 니트는 브랜드에서 보내주셨어요 #협찬' });
  assert.equal(h.level, 'high');
  assert.ok(h.reasons.some((r) => r.pattern === '#협찬' && r.source === 'description'));
});

test('"광고 아님" / "광고 아닙니다" / business contact lines are not disclosures', () => {
  for (const description of ['광고 아님! 진짜 좋아서 찍었어요', '광고 아닙니다. 제 돈으로 샀어요.', '광고/협찬 문의: hello@example.com', '비협찬 솔직 후기']) {
    const a = assessPaidPlacement({ ...none, description });
    assert.equal(a.level, 'none', description);
    assert.ok(!a.reasons.some((r) => r.weight > 0), description);
  }
});

test('bare AD matches only as a standalone token', () => {
  assert.equal(assessPaidPlacement({ ...none, description: 'HEAD ADD ADMIN LOADED' }).probability, 0);
  assert.equal(assessPaidPlacement({ ...none, description: 'AD | 오늘의 루틴' }).level, 'high');
  assert.equal(assessPaidPlacement({ ...none, description: '#ad #skincare' }).level, 'high');
});

test('내돈내산 lowers the probability', () => {
  const base = assessPaidPlacement({ ...none, description: '신제품 이벤트 할인 중이에요' });
  const own = assessPaidPlacement({ ...none, description: '신제품 이벤트 할인 중이에요. 내돈내산입니다' });
  assert.ok(own.probability < base.probability);
  assert.ok(own.reasons.some((r) => r.pattern === '내돈내산' && r.weight < 0));
  assert.equal(assessPaidPlacement({ title: '내돈내산 청소기 후기', description: '직접 구매한 제품입니다', speech: '' }).level, 'none');
});

test('implicit sale talk alone reaches medium at most', () => {
  const a = assessPaidPlacement({ ...none, description: '특가 할인 쿠폰 이벤트 선착순 마감임박 지금 바로 구매링크 설명란' });
  assert.ok(a.probability >= 0.5 && a.probability < 0.8, String(a.probability));
  assert.equal(a.level, 'medium');
  assert.equal(assessPaidPlacement({ ...none, speech: '할인' }).level, 'low');
});

test('LLM judgement moves the probability but cannot erase a written disclosure', () => {
  const up = assessPaidPlacement({ ...none, llm: { isPpl: true, confidence: 0.9, reason: '브랜드 제공 언급' } });
  assert.ok(up.probability > 0.5);
  assert.ok(up.reasons.some((r) => r.source === 'llm' && r.pattern === '브랜드 제공 언급'));
  const disclosed = assessPaidPlacement({ ...none, description: '#광고', llm: { isPpl: false, confidence: 1 } });
  assert.equal(disclosed.level, 'high');
  const implicit = assessPaidPlacement({ ...none, description: '특가 할인 쿠폰', llm: { isPpl: false, confidence: 1 } });
  const implicitAlone = assessPaidPlacement({ ...none, description: '특가 할인 쿠폰' });
  assert.ok(implicit.probability < implicitAlone.probability);
});

test('thresholds are parameters', () => {
  const a = assessPaidPlacement({ ...none, speech: '할인' }, { low: 0.05, medium: 0.1, high: 0.15 });
  assert.equal(a.level, 'high');
  assert.equal(levelOf(0.79, DEFAULT_PPL_THRESHOLDS), 'medium');
  assert.equal(levelOf(0.8, DEFAULT_PPL_THRESHOLDS), 'high');
  assert.equal(levelOf(0.19, DEFAULT_PPL_THRESHOLDS), 'none');
});

test('speech cues with particles and context: sponsors send and support, family and viewers do not', () => {
  const speech = (s: string) => assessPaidPlacement({ title: '', description: '', speech: s });
  assert.ok(speech('이 영상은 브랜드의 지원을 받아 제작되었습니다').isPpl);
  assert.ok(speech('이번에 업체로부터 제품을 제공받아 써봤어요').isPpl);
  assert.ok(speech('오늘은 본사에서 직접 보내주셨는데요').isPpl);
  assert.ok(!speech('엄마가 보내주신 김치가 진짜 맛있어요').isPpl);
  assert.ok(!speech('질문 보내주신 분들 정말 감사해요').isPpl);
  assert.ok(!speech('친구가 보내준 선물인데 너무 예뻐요').isPpl);
});

test('광고 as the advertising trade, a denial in a longer sentence, or a business-contact line is not a disclosure', () => {
  const p = (title: string, description: string, speech = '') => assessPaidPlacement({ title, description, speech }).isPpl;
  assert.ok(!p('배우 인터뷰 "광고 찍었던 그 드라마"', '', '그 드라마에서 제 역할이 광고 감독이었잖아요'));
  assert.ok(!p('', '※ 특정 제품을 추천하거나 광고하는 영상이 아닙니다.'));
  assert.ok(!p('', '광고 및 협업 문의: 메일로 연락주세요'));
  assert.ok(!p('', '', '오늘 오전엔 광고 시안 회의가 있어요'));
  assert.ok(p('', '이 영상은 광고를 포함하고 있습니다'));
  assert.ok(p('[광고] 신제품 리뷰', ''));
});
