/**
 * Score lexicons (PRODUCT.md step 11), started from shared/reference/scoring_lexicons.json and reviewed.
 * Changes from that data: one-syllable entries that occur inside ordinary words only match where they are an
 * interjection or intensifier — "개" (개월, 두 개), "갓" (갓 나온), "핵", "오" (오늘, 오후), "와" (친구와), "음" (음악, 마음);
 * "진짜"/"정말" are kept as mild positives (weight 1) because they are intensifiers, never as recommendation signals.
 */

export type LexiconEntry = { term: string; pattern: RegExp; weight: number };

const word = (term: string, weight = 1): LexiconEntry => ({ term, pattern: new RegExp(escape(term), 'g'), weight });
const custom = (term: string, pattern: RegExp, weight = 1): LexiconEntry => ({ term, pattern, weight });
function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Start of text or a non-Hangul character before; interjections must stand alone. */
const ALONE_BEFORE = '(?<![가-힣])';
const ALONE_AFTER = '(?![가-힣])';

const STRONG_POSITIVE = ['최고', '완전', '대박', '미쳤다', '레전드', '찐', '사랑', '애정', '강추', '믿고', '확실'];

export const POSITIVE_KEYWORDS: readonly LexiconEntry[] = [
  ...[
    '진짜', '정말', '완전', '너무', '엄청', '최고', '짱', '대박', '쩐다', '좋아', '사랑', '애정', '찐', '레전드', '미쳤다',
    '존좋', '만족', '추천', '강추', '믿고', '신뢰', '확실', '보장', '효과', '놀라', '감동', '후회없', '베스트', '원탑', '품질',
    '퀄리티', '고급', '프리미엄', '명품', '완벽', '훌륭', '멋진', '예쁜', '이쁜', '예뻐', '편해', '좋네', '만족스러', '괜찮',
    '최적', '적절', '딱', '마음에', '취향저격',
  ].map((t) => word(t, STRONG_POSITIVE.includes(t) ? 2 : 1)),
  custom('브랜드', /브랜드(?!\s*(?:로부터|에서|측))/g),
  custom('개(강조)', /(?<![가-힣0-9])개(?=(?:좋|꿀|이득|예뻐|예쁘|맛있|편해|편하|대박))/g),
  custom('갓', /갓(?=(?:성비|템|벽))/g),
  custom('핵', /핵(?=(?:꿀|이득|좋|예뻐|예쁘|인싸))/g),
];

export const NEGATIVE_KEYWORDS: readonly LexiconEntry[] = [
  ...[
    '별로', '그냥', '안좋', '안 좋', '실망', '후회', '아쉬', '글쎄', '뭔가', '애매', '그저그래', '평범', '문제', '단점',
    '불편', '귀찮', '짜증', '스트레스', '힘들', '어려', '복잡', '번거',
  ].map((t) => word(t)),
  custom('음', new RegExp(`${ALONE_BEFORE}음+${ALONE_AFTER}`, 'g')),
];

export const EMOTIONAL_EXPRESSIONS: readonly LexiconEntry[] = [
  ...[
    '우와', '와우', '어머', '세상에', '대박', '미쳤다', '장난아니', '실화', '진심', '놀라', '깜짝', '충격', '당황', '멘붕',
    '소름', '기뻐', '행복', '신나', '좋아', '즐거', '쾌감', '환상', '꿈같', '기분좋', '만족',
  ].map((t) => word(t)),
  custom('와', new RegExp(`${ALONE_BEFORE}와+${ALONE_AFTER}`, 'g')),
  custom('헉', new RegExp(`${ALONE_BEFORE}헉+${ALONE_AFTER}`, 'g')),
  custom('오', new RegExp(`${ALONE_BEFORE}오+${ALONE_AFTER}`, 'g')),
];

export const EXCLAMATION_PATTERN = /!+|\?+|~{2,}|ㅋ{2,}|ㅎ{2,}|ㅠ{2,}|ㅜ{2,}/g;
export const EMPHASIS_PATTERN = /(정말|진짜|너무|완전|엄청|대박)\s*\1|(?<![가-힣])([가-힣]{2,})\s+\2(?![가-힣])/g;

export type EndorsementCategory = 'usage' | 'demonstration' | 'effect' | 'experience' | 'possession';

export const ENDORSEMENT_WEIGHTS: Record<EndorsementCategory, number> = {
  usage: 0.3,
  demonstration: 0.25,
  effect: 0.2,
  experience: 0.15,
  possession: 0.1,
};

export const ENDORSEMENT_LEXICON: Record<EndorsementCategory, readonly string[]> = {
  usage: [
    '써봤는데', '써보니', '써보면', '사용해봤', '사용해보니', '사용하면', '쓰고있', '사용중', '쓰고나서', '발라봤', '발라보니',
    '발라보면', '발랐는데', '발라서', '이렇게 써', '이렇게 바르', '사용법', '바르는법', '쓰는법', '먼저', '그다음', '마지막으로',
    '단계', '순서', '팁',
  ],
  demonstration: [
    '보여드릴', '보여줄', '시연', '테스트', '실험', '직접', '실제로', '보시면', '보세요', '비교', '차이', '전후', 'before',
    'after', 'vs', '대비', '변화', '개선', '실시간', '라이브', '즉석', '그 자리에서',
  ],
  effect: [
    '효과', '변화', '달라', '개선', '결과', '도움', '유용', '신기하게', '놀랍게', '확실히', '촉촉', '부드러', '매끄러', '깔끔',
    '깨끗', '하얗', '밝아', '윤기', '탄력', '볼륨', '진정', '편안', '즉시', '금세', '하루', '일주일', '한달', '꾸준히', '지속',
    '오래',
  ],
  experience: [
    '경험', '체험', '느낌', '후기', '리뷰', '솔직히', '정말로', '실제로', '진짜로', '느껴', '만져', '향이', '냄새', '질감',
    '텍스처', '기존에', '평소에', '이전에', '전에 쓰던', '다른 브랜드', '타사',
  ],
  possession: [
    '가지고', '구매', '샀어', '산지', '구입', '주문', '받았', '배송', '파우치', '화장대', '서랍', '애정템', '찐템', '필수템',
    '없으면 안되', '꼭 필요', '항상', '매일', '자주', '단골', '리피트', '재구매', '또 샀', '추천', '강추', '알려드리', '보여드리',
  ],
};

/** Subscriber tiers: the highest tier at or below the count wins; below the first tier scores 0.05. */
export const SCALE_TIERS: readonly [minSubscribers: number, score: number][] = [
  [10_000_000, 1.0],
  [1_000_000, 0.85],
  [100_000, 0.6],
  [10_000, 0.3],
  [1_000, 0.1],
];

/** Average views per video divided by subscribers: the first tier whose bound is ≥ the ratio wins. */
export const ENGAGEMENT_TIERS: readonly [maxRatio: number, score: number][] = [
  [0.01, 0.2],
  [0.05, 0.5],
  [0.1, 0.8],
  [Number.POSITIVE_INFINITY, 1.0],
];

export const INFLUENCER_WEIGHTS = { scale: 0.25, engagement: 0.35, consistency: 0.25, authenticity: 0.15 } as const;
