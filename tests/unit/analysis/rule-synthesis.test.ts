import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  COUPANG_DISCLOSURE,
  endorsementType,
  pricePoint,
  productKey,
  sameProduct,
  synthesizeCandidateByRules,
  UNKNOWN_PRODUCT,
} from '@/src/server/analysis/rule-synthesis';
import type { OcrLine } from '@/src/server/analysis/types';

const ocr = (texts: string[], confidence = 0.92): OcrLine[] => texts.map((text, i) => ({ text, confidence, t: 22 + i * 0.5, engine: 'test' }));
const video = { title: '[VLOG] 아침 스킨케어 루틴', description: '', celebrityName: '김하린' };
const roundLabSegments = [
  { start: 21, end: 27, text: '제가 요즘 진짜 잘 쓰는 게 있는데 라운드랩 독도 토너예요.' },
  { start: 40, end: 44, text: '피부가 진짜 촉촉해져요. 강력 추천합니다.' },
];

test('ROUND LAB example: name, category, titles, hashtags, disclosure', () => {
  const r = synthesizeCandidateByRules({
    segments: roundLabSegments,
    ocrLines: ocr(['ROUND LAB', '1025 DOKDO TONER', '라운드랩 독도 토너', '200ml / 6.7 fl.oz']),
    detections: [],
    video,
  });
  assert.equal(r.product_name_ai, '라운드랩 독도 토너', 'seen and said: the Hangul speech form, confirmed by the screen');
  assert.equal(r.category_path, '뷰티 > 스킨케어 > 토너');
  assert.equal(r.recommended_titles.length, 3);
  assert.ok(r.recommended_hashtags.length >= 8);
  assert.ok(r.recommended_hashtags.every((h) => /^#\S+$/.test(h)));
  assert.equal(new Set(r.recommended_hashtags.map((h) => h.toLowerCase())).size, r.recommended_hashtags.length);
  assert.ok(r.summary_for_caption.trimEnd().endsWith(COUPANG_DISCLOSURE));
  assert.equal(COUPANG_DISCLOSURE, '이 포스팅은 쿠팡 파트너스 활동의 일환으로, 이에 따른 일정액의 수수료를 제공받습니다.');
  assert.ok(r.features.includes('피부가 진짜 촉촉해져요'));
  assert.equal(r.endorsement_type, '명시적 추천');
  assert.ok(r.name_sources.some((s) => s.confirmed));
  assert.ok(r.hook_sentence.length > 0);
});

test('Latin-only OCR joins the brand line with the product line', () => {
  const r = synthesizeCandidateByRules({ segments: [{ start: 0, end: 5, text: '이거 매일 써요.' }], ocrLines: ocr(['ROUND LAB', '1025 DOKDO TONER', '200ml']), detections: [], video });
  assert.equal(r.product_name_ai, 'ROUND LAB 1025 DOKDO TONER');
});

test('open-world naming: a brand from the gazetteer and the product words after it, from speech alone', () => {
  const said = (text: string) => synthesizeCandidateByRules({ segments: [{ start: 0, end: 6, text }], ocrLines: [], detections: [], video });
  const pan = said('첫 번째는 테팔 인지니오 프라이팬이에요. 코팅이 튼튼해요.');
  assert.equal(pan.product_name_ai, '테팔 인지니오 프라이팬');
  assert.equal(pan.category_path, '주방용품 > 냄비·프라이팬');
  assert.equal(said('마지막은 브라운 멀티퀵 핸드블렌더예요.').product_name_ai, '브라운 멀티퀵 핸드블렌더');
  assert.equal(said('소니 WF-1000XM5 이어폰인데 노이즈캔슬링이 진짜 좋아요.').product_name_ai, '소니 WF-1000XM5 이어폰');
});

test('seen and said: the screen adds the model the speech left out, and a product on screen and in speech is never 확인 필요', () => {
  const r = synthesizeCandidateByRules({ segments: [{ start: 0, end: 6, text: '요즘 소니 이어폰 매일 껴요. 노이즈캔슬링이 최고예요.' }], ocrLines: ocr(['SONY', 'WF-1000XM5']), detections: [], video });
  assert.equal(r.product_name_ai, '소니 WF-1000XM5 이어폰');
  assert.ok(r.name_sources.some((s) => s.source === 'ocr' && s.confirmed));
  assert.match(r.category_path ?? '', /^가전디지털 > 음향가전/);
  const pan = synthesizeCandidateByRules({ segments: [{ start: 0, end: 6, text: '이 프라이팬 진짜 좋아요.' }], ocrLines: ocr(['Tefal', 'Ingenio']), detections: [], video });
  assert.notEqual(pan.product_name_ai, UNKNOWN_PRODUCT);
});

test('the category comes from the product\'s words, not from stray words nearby', () => {
  const r = synthesizeCandidateByRules({ segments: [{ start: 0, end: 6, text: '앤커 나노 파워뱅크예요. 립밤이랑 같이 파우치에 넣어 다녀요.' }], ocrLines: [], detections: [], video });
  assert.equal(r.product_name_ai, '앤커 나노 파워뱅크');
  assert.match(r.category_path ?? '', /^가전디지털/);
});

test('nothing identifiable → 확인 필요, null category, no invented features', () => {
  const r = synthesizeCandidateByRules({ segments: [{ start: 0, end: 5, text: '이거 진짜 좋아요.' }], ocrLines: ocr(['bl@r'], 0.2), detections: [], video });
  assert.equal(r.product_name_ai, UNKNOWN_PRODUCT);
  assert.equal(r.category_path, null);
  assert.deepEqual(r.features, []);
  assert.equal(r.price_point, null);
  assert.equal(r.recommended_titles.length, 3);
  assert.ok(r.recommended_hashtags.length >= 8);
});

test('low-confidence OCR lines are ignored', () => {
  const r = synthesizeCandidateByRules({ segments: [{ start: 0, end: 5, text: '매일 써요.' }], ocrLines: ocr(['ROUND LAB', '1025 DOKDO TONER'], 0.3), detections: [], video });
  assert.equal(r.product_name_ai, UNKNOWN_PRODUCT);
});

test('target audience and price point come from what was said', () => {
  const r = synthesizeCandidateByRules({
    segments: [{ start: 0, end: 6, text: '토리든 다이브인 세럼이에요. 저처럼 건조한 피부 가지신 분들은 꼭 써보세요. 만 원대라 가성비도 좋아요.' }],
    ocrLines: [],
    detections: [],
    video,
  });
  assert.equal(r.product_name_ai, '토리든 다이브인 세럼');
  assert.deepEqual(r.target_audience, ['건조한 피부 가지신 분']);
  assert.equal(r.category_path, '뷰티 > 스킨케어 > 에센스·세럼');
  assert.equal(pricePoint('천 원짜리인데 최고예요', null), '저가');
  assert.equal(pricePoint('가격은 39,000원이에요', null), '중가');
  assert.equal(pricePoint('향이 좋아요', null), null);
});

test('endorsement type', () => {
  assert.equal(endorsementType('아누아랑 메디큐브 비교해봤는데 아누아가 더 잘 맞았어요'), '비교 리뷰');
  assert.equal(endorsementType('이렇게 손등에 덜어서 브러시로 펴 발라주면 돼요'), '튜토리얼 시연');
  assert.equal(endorsementType('벌써 세 통째 매일 써요'), '습관적 사용');
  assert.equal(endorsementType('이거 그냥 가방에 있던 거예요'), '자연스러운 언급');
});

test('productKey normalizes case, spaces, punctuation and Unicode form', () => {
  assert.equal(productKey('ROUND LAB 1025 DOKDO TONER'), 'roundlab1025dokdotoner');
  assert.equal(productKey(' 라운드랩  독도-토너! '), '라운드랩독도토너');
  assert.equal(productKey('라운드랩 독도 토너'.normalize('NFD')), '라운드랩독도토너');
});

test('sameProduct merges aliases and keeps different products apart', () => {
  assert.ok(sameProduct('ROUND LAB 1025 DOKDO TONER', '라운드랩 독도 토너'));
  assert.ok(sameProduct('라운드랩 독도 토너', '라운드랩 독도토너'));
  assert.ok(sameProduct('CLIO KILL COVER CUSHION', '클리오 쿠션')); // brand alias + aliased product word
  assert.ok(!sameProduct('라운드랩 독도 토너', '라운드랩 자작나무 수분 크림'));
  assert.ok(!sameProduct('라운드랩 독도 토너', '토리든 다이브인 토너'));
  assert.ok(!sameProduct('', '라운드랩'));
  assert.ok(sameProduct('메디힐 티트리 마스크', '메디힐 티트리 마스크팩'));
});

test('on screen, the text on or beside the detected object is the name; a sign elsewhere in the frame is not', () => {
  const box = (x: number, y: number, width: number, height: number) => ({ x, y, width, height });
  const lines: OcrLine[] = [
    { text: 'LOGITECH', confidence: 0.9, t: 30, engine: 'test', box: box(210, 150, 120, 30) },
    { text: 'MX MASTER 3S', confidence: 0.9, t: 30, engine: 'test', box: box(200, 185, 150, 24) },
    { text: 'SAMSUNG', confidence: 0.9, t: 30, engine: 'test', box: box(560, 10, 60, 12) },
  ];
  const r = synthesizeCandidateByRules({
    segments: [{ start: 28, end: 34, text: '요즘 매일 쓰는 마우스예요. 손목이 진짜 편해요.' }],
    ocrLines: lines,
    detections: [{ label: 'mouse', score: 0.8, t: 30, box: box(190, 140, 180, 90) }],
    video,
  });
  assert.match(r.product_name_ai, /LOGITECH MX MASTER 3S/);
  assert.doesNotMatch(r.product_name_ai, /SAMSUNG/);
  assert.match(r.category_path ?? '', /^가전디지털/);
});
