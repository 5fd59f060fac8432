/**
 * Korean-aware word handling for the no-key analyzer: spoken numbers to digits, particles off nouns, endings off
 * predicates. Small and rule-based on purpose (no dictionary): the analyzer matches stems by prefix, so a stem only
 * has to be right at its start ("바삭하고" → "바삭하", "편하더라고요" → "편하", "아프더라고요" → "아프").
 */
import { normalizeText } from './normalize-korean';

const SINO_DIGITS: Record<string, number> = { 일: 1, 이: 2, 삼: 3, 사: 4, 오: 5, 육: 6, 칠: 7, 팔: 8, 구: 9 };
const SINO_UNITS: Record<string, number> = { 십: 10, 백: 100, 천: 1000 };
const NATIVE: Record<string, number> = {
  한: 1, 두: 2, 세: 3, 네: 4, 다섯: 5, 여섯: 6, 일곱: 7, 여덟: 8, 아홉: 9, 열: 10, 열한: 11, 열두: 12, 스무: 20, 스물: 20,
  서른: 30, 마흔: 40, 쉰: 50,
};

/** Counters after a Sino-Korean number ("이 년째", "삼십 분", "오만 원"). */
const SINO_COUNTER = '(?:년|개월|주일?|일|시간|분|초|번|살|층|평|퍼센트|프로|배|도|키로|킬로|그램|리터|미리|만\\s?원|천\\s?원|원|인분|회)';
/** Counters after a native number ("두 개", "세 통째", "한 달"). */
const NATIVE_COUNTER = '(?:개|통|병|번|달|살|시간|켤레|잔|봉지|박스|장|권|마리|벌|대|알|포|판|곳|가지|명|팩|캔|컵)';

/** "삼십" → 30, "이백오십" → 250, "오만" → 50000; null when the word is not a Sino-Korean numeral. */
export function parseSinoNumber(word: string): number | null {
  if (!/^[일이삼사오육칠팔구십백천만]+$/.test(word)) return null;
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of word) {
    if (ch in SINO_DIGITS) digit = SINO_DIGITS[ch];
    else if (ch in SINO_UNITS) {
      section += (digit || 1) * SINO_UNITS[ch];
      digit = 0;
    } else if (ch === '만') {
      total += (section + digit || 1) * 10000;
      section = 0;
      digit = 0;
    }
  }
  return total + section + digit;
}

/**
 * Spoken numbers before a counter become digits: "이 년째" → "2년째", "삼십 분 걸렸는데" → "30분 걸렸는데",
 * "세 통째" → "3통째". A numeral must stand alone as a word, so "이번", "사용", "한번에" are left as they are.
 */
export function normalizeNumbers(text: string): string {
  const sino = new RegExp(`(^|[^가-힣])([일이삼사오육칠팔구십백천만]{1,6})\\s?(${SINO_COUNTER})`, 'g');
  const native = new RegExp(`(^|[^가-힣])(열한|열두|다섯|여섯|일곱|여덟|아홉|스무|스물|서른|마흔|한|두|세|네|열|쉰)\\s?(?=${NATIVE_COUNTER}(?:[^가-힣]|째|씩|이|을|를|은|는|도|만|에|정도|이나|나|짜리|$))`, 'g');
  return text
    .replace(sino, (m, pre: string, num: string, counter: string) => {
      const n = parseSinoNumber(num);
      if (n === null) return m;
      // one syllable is often a word, not a number: 이 분 (this person), 이 번/주/일 (this time/week), 사 일; "일 년"
      // and "일 개월" are years and months
      if (num.length === 1 && !(/^[일사]$/.test(num) && /^(?:년|개월|주일)/.test(counter)) && (!/^[이삼오육칠팔구십]$/.test(num) || (num === '이' && /^(?:분|번|주|일|도|회)/.test(counter)))) return m;
      return `${pre}${n}${counter}`;
    })
    .replace(native, (_m, pre: string, num: string) => `${pre}${NATIVE[num]}`);
}

/** Normalized text (NFC, spacing) with spoken numbers as digits: the form every cue runs on. */
export function prepareText(text: string): string {
  return normalizeNumbers(normalizeText(text));
}

/** Particles and copulas that end a noun phrase, longest first. */
const NOUN_TAILS = [
  '이었어요', '였어요', '이에요', '이예요', '입니다', '이었는데', '였는데', '인데요', '이고요', '이구요', '이라서', '이라고', '라고',
  '라서', '이랑', '에서', '으로', '까지', '부터', '처럼', '보다', '한테', '에게', '예요', '에요', '인데', '이고', '이나', '이요',
  '만', '은', '는', '을', '를', '이', '가', '도', '로', '와', '과', '랑', '요', '의', '에',
];

/**
 * A word without its particle or copula: "토너예요" → "토너", "프라이팬이에요" → "프라이팬", "에어팟은" → "에어팟".
 * `keep` protects words that end in a particle-like syllable ("독도", "맥북에어"): when the stripped form is not
 * accepted by `keep`, the word stays whole.
 */
export function stripParticle(word: string, keep?: (stripped: string, whole: string) => boolean): string {
  const w = word.replace(/[.,!?~…"'()[\]]+$/g, '').replace(/^["'([]+/, '');
  for (const tail of NOUN_TAILS) {
    if (w.length <= tail.length || !w.endsWith(tail)) continue;
    const stripped = w.slice(0, -tail.length);
    if (tail.length === 1 && keep && !keep(stripped, w)) return w;
    return stripped;
  }
  return w;
}

/** Endings of predicates, longest first; stripped repeatedly ("편하더라고요" → "편하더라고" → "편하"). */
const PREDICATE_ENDINGS = [
  '더라고요', '더라구요', '거든요', '잖아요', '는데요', '던데요', '네요', '구요', '고요', '어요', '아요', '여요', '해요', '에요',
  '예요', '습니다', '니다', '세요', '지요', '더라고', '더라', '거든', '잖아', '는데', '던데', '지만', '면서', '어서', '아서',
  '해서', '으면', '니까', '다고', '라고', '는', '면', '고', '서', '죠', '요', '다', '지', '게', '네',
];

/** Contracted vowels back to their dictionary-like stem start: 해→하, 돼→되, 봐→보, 워→우 (가벼워 → 가벼우). */
const CONTRACTIONS: [RegExp, string][] = [
  [/해$/, '하'],
  [/돼$/, '되'],
  [/봐$/, '보'],
  [/워$/, '우'],
  [/줘$/, '주'],
];

export function stemPredicate(word: string): string {
  let w = word.replace(/[.,!?~…"']+$/g, '');
  for (let round = 0; round < 3; round++) {
    const ending = PREDICATE_ENDINGS.find((e) => w.length > e.length && w.endsWith(e));
    if (!ending) break;
    w = w.slice(0, -ending.length);
  }
  for (const [re, to] of CONTRACTIONS) if (re.test(w)) return w.replace(re, to);
  return w.replace(/(?:었|았|였|겠)$/, '');
}

/** Words of a prepared text, punctuation trimmed. */
export function words(text: string): string[] {
  return prepareText(text)
    .split(' ')
    .map((w) => w.replace(/^[.,!?~…"'()[\]]+|[.,!?~…"'()[\]]+$/g, ''))
    .filter(Boolean);
}
