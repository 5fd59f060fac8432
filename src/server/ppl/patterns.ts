/**
 * Paid-placement (PPL) patterns, weights and thresholds (PRODUCT.md step 9).
 * Started from shared/reference/ppl_patterns.json and reviewed; changes from that data:
 * - bare "AD"/"DM" match only as standalone upper-case tokens (not inside HEAD, ADD, ADMIN);
 * - "광고"/"협찬"/"제공받" do not fire when negated or when they are a business contact line
 *   ("광고 아님", "광고하는 영상이 아닙니다", "협찬 없이", "비협찬", "광고/협찬 문의", "광고 및 협업 문의"), nor when
 *   광고 is the advertising trade ("광고 찍었던 드라마", "광고 감독", "광고 시안", "광고인 줄", "광고처럼");
 * - over-broad implicit words were narrowed: "아래" → "아래 링크", "참고" → "설명란/링크 참고", "댓글" → "고정 댓글",
 *   "모델" → "브랜드/광고 모델", "궁금하신"/"관심있으신" only with a link or purchase cue;
 * - spacing variants accepted ("유료 광고", "광고가 포함되어"); speech cues with their particles and context: "지원을 받아",
 *   "제품을 제공받아", a brand that "보내주셨어요" (family, friends and viewers' questions are not sponsors).
 */

export type PplGroup = 'explicit' | 'implicit';

export type PplCategory =
  | 'direct_disclosure'
  | 'hashtag_disclosure'
  | 'description_patterns'
  | 'promotional_language'
  | 'commercial_context'
  | 'purchase_guidance'
  | 'timing_patterns';

export type PplPattern = {
  /** Human-readable phrase shown as the reason. */
  phrase: string;
  pattern: RegExp;
  /** How strongly this phrase alone indicates PPL, 0..1. */
  weight: number;
  category: PplCategory;
};

export type ExclusionPhrase = { phrase: string; pattern: RegExp; weight: number };

export type PplThresholds = {
  high: number;
  medium: number;
  low: number;
  /** How much the LLM judgement moves the rule-based probability, 0..1. */
  llmWeight: number;
};

export const DEFAULT_PPL_THRESHOLDS: PplThresholds = { high: 0.8, medium: 0.5, low: 0.2, llmWeight: 0.6 };

export const CATEGORY_GROUP: Record<PplCategory, PplGroup> = {
  direct_disclosure: 'explicit',
  hashtag_disclosure: 'explicit',
  description_patterns: 'explicit',
  promotional_language: 'implicit',
  commercial_context: 'implicit',
  purchase_guidance: 'implicit',
  timing_patterns: 'implicit',
};

export const CATEGORY_WEIGHTS: Record<PplCategory, number> = {
  direct_disclosure: 0.6,
  hashtag_disclosure: 0.55,
  description_patterns: 0.5,
  promotional_language: 0.25,
  commercial_context: 0.3,
  purchase_guidance: 0.35,
  timing_patterns: 0.4,
};

/** Not followed by a negation or a business-contact word: "광고 아님", "협찬 없이", "광고/협찬 문의". */
const NOT_NEGATED = String.raw`(?!\s*(?:(?:[/·,&]|및|와|과|이나|나)\s*(?:광고|협찬|제휴|협업|비즈니스)\s*)?(?:(?:하는|하려는|를\s*위한|목적의?)\s*(?:영상|게시물|콘텐츠|글|리뷰)?\s*(?:이|은|는|도)?\s*)?(?:아님|아니|아닙|아닌|아냐|아녜|없|안\s*받|받지|X\b|x\b|문의|제안|요청|사절|진행\s*안|찍|감독|시안|회사|대행|업계|인\s*줄|처럼|같|촬영|카피|기획|팀))`;
/** Not preceded by a negating prefix: 비협찬, 노협찬, 무광고. */
const NO_NEG_PREFIX = String.raw`(?<![비노무])`;

const re = (source: string, flags = '') => new RegExp(source, flags);

export const PPL_PATTERNS: readonly PplPattern[] = [
  // explicit: direct disclosure
  { phrase: '유료광고', pattern: re(String.raw`유료\s*광고${NOT_NEGATED}`), weight: 0.95, category: 'direct_disclosure' },
  { phrase: '광고', pattern: re(String.raw`${NO_NEG_PREFIX}(?<!#)광고${NOT_NEGATED}`), weight: 0.95, category: 'direct_disclosure' },
  { phrase: '협찬', pattern: re(String.raw`${NO_NEG_PREFIX}(?<!#)협찬${NOT_NEGATED}`), weight: 0.95, category: 'direct_disclosure' },
  { phrase: '제공받은', pattern: re(String.raw`제공\s*받(?:은|아|았)(?!\s*(?:게|것|거)?\s*(?:아니|없))`), weight: 0.9, category: 'direct_disclosure' },
  // a brand or company sending the product, not a family member, a friend or a viewer's question ("엄마가 보내주신 김치")
  { phrase: '업체에서 보내주셨어요', pattern: /(?:브랜드|업체|회사|측|본사|에서)\s*(?:[가-힣A-Za-z0-9]+\s*){0,3}?보내\s*주(?:셨|신|셔서)(?!\s*(?:질문|사연|댓글|메시지|편지|팬레터))/, weight: 0.6, category: 'direct_disclosure' },
  { phrase: '지원을 받아', pattern: /(?:제작\s*)?지원(?:을|를)?\s*받(?:아|았|은|고|아서)|지원으로\s*(?:제작|만들)|(?:제품|물건|샘플)(?:을|를)?\s*(?:무상\s*)?(?:제공|지원)\s*받/, weight: 0.85, category: 'direct_disclosure' },
  { phrase: 'sponsored', pattern: /\bsponsor(?:ed|ship)\b/i, weight: 0.95, category: 'direct_disclosure' },
  { phrase: 'AD', pattern: /(?<![A-Za-z0-9#])AD(?![A-Za-z0-9])/, weight: 0.95, category: 'direct_disclosure' },
  { phrase: 'advertisement', pattern: /\badvertisement\b/i, weight: 0.9, category: 'direct_disclosure' },
  { phrase: 'paid promotion', pattern: /\bpaid\s+(?:promotion|partnership)\b/i, weight: 0.85, category: 'direct_disclosure' },

  // explicit: hashtags
  { phrase: '#광고', pattern: /#(?:유료)?광고/, weight: 0.95, category: 'hashtag_disclosure' },
  { phrase: '#협찬', pattern: /#협찬/, weight: 0.95, category: 'hashtag_disclosure' },
  { phrase: '#제공', pattern: /#(?:제품)?제공/, weight: 0.85, category: 'hashtag_disclosure' },
  { phrase: '#AD', pattern: /#ad(?![a-z0-9])/i, weight: 0.95, category: 'hashtag_disclosure' },
  { phrase: '#sponsored', pattern: /#sponsored\b/i, weight: 0.95, category: 'hashtag_disclosure' },
  { phrase: '#PR', pattern: /#pr(?![a-z0-9])/i, weight: 0.8, category: 'hashtag_disclosure' },

  // explicit: description sentences
  { phrase: '업체로부터 제품을 제공받아', pattern: /업체(?:로부터|에서)\s*제품을?\s*제공\s*받/, weight: 0.9, category: 'description_patterns' },
  { phrase: '협찬을 받고 작성한', pattern: /협찬을?\s*받(?:고|아)\s*(?:작성|제작)/, weight: 0.9, category: 'description_patterns' },
  { phrase: '광고가 포함된', pattern: /광고가?\s*포함(?:된|되어|돼|하고|되었)/, weight: 0.85, category: 'description_patterns' },
  { phrase: '브랜드로부터 제공받은', pattern: /브랜드(?:로부터|에서|측)\s*제공\s*받/, weight: 0.85, category: 'description_patterns' },
  { phrase: '마케팅 목적으로 제작된', pattern: /마케팅\s*목적으로\s*제작/, weight: 0.8, category: 'description_patterns' },

  // implicit: promotional language
  { phrase: '특가', pattern: /특가/, weight: 0.7, category: 'promotional_language' },
  { phrase: '할인', pattern: /할인/, weight: 0.65, category: 'promotional_language' },
  { phrase: '이벤트', pattern: /이벤트/, weight: 0.6, category: 'promotional_language' },
  { phrase: '프로모션', pattern: /프로모션/, weight: 0.7, category: 'promotional_language' },
  { phrase: '쿠폰', pattern: /쿠폰/, weight: 0.75, category: 'promotional_language' },
  { phrase: '상품정보', pattern: /상품\s*정보/, weight: 0.6, category: 'promotional_language' },
  { phrase: '한정판매', pattern: /한정\s*판매/, weight: 0.65, category: 'promotional_language' },
  { phrase: '출시기념', pattern: /출시\s*기념/, weight: 0.7, category: 'promotional_language' },

  // implicit: commercial context
  { phrase: '브랜드 소개', pattern: /브랜드\s*소개/, weight: 0.75, category: 'commercial_context' },
  { phrase: '신제품', pattern: /신제품/, weight: 0.8, category: 'commercial_context' },
  { phrase: '런칭', pattern: /런칭|론칭/, weight: 0.75, category: 'commercial_context' },
  { phrase: '캠페인', pattern: /캠페인/, weight: 0.7, category: 'commercial_context' },
  { phrase: '콜라보', pattern: /컬래버레이션|콜라보/, weight: 0.75, category: 'commercial_context' },
  { phrase: '앰버서더', pattern: /앰버서더|엠버서더/, weight: 0.85, category: 'commercial_context' },
  { phrase: '브랜드 모델', pattern: /(?:브랜드|광고|전속)\s*모델|뮤즈/, weight: 0.6, category: 'commercial_context' },

  // implicit: purchase guidance
  { phrase: '링크 아래', pattern: /(?:아래|하단)\s*(?:에\s*)?(?:구매\s*)?링크|링크[는를은]?\s*(?:아래|하단)/, weight: 0.8, category: 'purchase_guidance' },
  { phrase: '구매링크', pattern: /구매\s*링크/, weight: 0.85, category: 'purchase_guidance' },
  { phrase: '구매하실 분들', pattern: /구매하실\s*분/, weight: 0.8, category: 'purchase_guidance' },
  { phrase: '궁금하신 분들은 링크', pattern: /(?:궁금하신|관심\s*있으신)\s*분[^.!?\n]{0,12}(?:링크|설명란|더보기|구매)/, weight: 0.65, category: 'purchase_guidance' },
  { phrase: '설명란', pattern: /설명\s*란/, weight: 0.7, category: 'purchase_guidance' },
  { phrase: '더보기', pattern: /더\s*보기\s*(?:란|참고|에)/, weight: 0.7, category: 'purchase_guidance' },
  { phrase: '고정 댓글', pattern: /고정\s*댓글|댓글(?:에|로)?\s*링크/, weight: 0.65, category: 'purchase_guidance' },
  { phrase: 'DM', pattern: /(?<![A-Za-z0-9])DM(?![A-Za-z0-9])/, weight: 0.6, category: 'purchase_guidance' },

  // implicit: timing pressure
  { phrase: '오늘만', pattern: /오늘\s*만\s*(?:이|특가|할인|이벤트|이\s*가격)/, weight: 0.75, category: 'timing_patterns' },
  { phrase: '지금 바로', pattern: /지금\s*바로/, weight: 0.7, category: 'timing_patterns' },
  { phrase: '마감임박', pattern: /마감\s*임박/, weight: 0.8, category: 'timing_patterns' },
  { phrase: '선착순', pattern: /선착순/, weight: 0.75, category: 'timing_patterns' },
  { phrase: '수량 한정', pattern: /수량\s*한정|한정\s*수량/, weight: 0.7, category: 'timing_patterns' },
];

/** Phrases that lower the probability (own purchase, explicit "not an ad"). */
export const EXCLUSION_PHRASES: readonly ExclusionPhrase[] = [
  { phrase: '내돈내산', pattern: /내\s*돈\s*내\s*산/, weight: 0.7 },
  { phrase: '직접 구매한', pattern: /직접\s*(?:구매|구입)(?:한|했|해서)/, weight: 0.6 },
  { phrase: '제 돈 주고 산', pattern: /제\s*돈\s*(?:주고|으로)\s*(?:산|샀|구매)/, weight: 0.6 },
  { phrase: '개인적으로 산', pattern: /개인적으로\s*(?:산|샀|구매)/, weight: 0.5 },
  { phrase: '광고 아님', pattern: /(?:광고|협찬)\s*(?:아님|아니|아닙|아닌|아냐|아녜|[xX]\b|없이)|(?:비|노)\s*협찬|무\s*광고/, weight: 0.6 },
  { phrase: '솔직한 후기', pattern: /솔직한\s*후기/, weight: 0.3 },
  { phrase: '개인적인 의견', pattern: /개인적인\s*의견/, weight: 0.3 },
  { phrase: '추천하지 않는', pattern: /추천하지\s*않/, weight: 0.3 },
];
