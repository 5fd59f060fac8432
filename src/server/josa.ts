/**
 * Korean particles (조사) chosen by the final consonant of the word before them, shared by every place that writes
 * Korean copy (generated captions, titles, hooks, demo rows, console messages). Pure; no imports, safe in the browser.
 *
 * Hangul syllables are read exactly. Otherwise the last letter or digit decides as it is read aloud in Korean:
 * - a digit by its Korean name: 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구 ("아이폰 15가", "530이"; a
 *   number ending in 0 reads 십/백/천/만, which end in a consonant too);
 * - a single Latin letter, or an abbreviation read letter by letter (capitals without a vowel: LG, SK, BMW, CNN), by
 *   the Korean name of its last letter: only L 엘, M 엠, N 엔, R 알 end in a consonant ("비타민 C가", "LG가", "XL이");
 * - a Latin word as it is pronounced (latinWordFinal): LAB → 랩 and phone → 폰 end in a consonant, toner → 토너 does not.
 */
export const JOSA_PAIRS = {
  '이/가': ['이', '가'],
  '을/를': ['을', '를'],
  '은/는': ['은', '는'],
  '과/와': ['과', '와'],
  '으로/로': ['으로', '로'],
  '이나/나': ['이나', '나'],
  '이랑/랑': ['이랑', '랑'],
  '이에요/예요': ['이에요', '예요'],
  '이라/라': ['이라', '라'],
  '아/야': ['아', '야'],
} as const;
export type JosaPair = keyof typeof JOSA_PAIRS;

/** Final consonants (종성) by their index in a Hangul syllable: the values finalConsonant returns. */
const GIYEOK = 1;
const NIEUN = 4;
const RIEUL = 8;
const MIEUM = 16;
const BIEUP = 17;
const SIOT = 19;
const IEUNG = 21;

/** Digits by their Korean names (영 일 이 삼 사 오 육 칠 팔 구): the final consonant of each. */
const DIGIT_FINAL: Record<string, number> = { 0: IEUNG, 1: RIEUL, 2: 0, 3: MIEUM, 4: 0, 5: 0, 6: GIYEOK, 7: RIEUL, 8: RIEUL, 9: 0 };

/** Latin letters by their Korean names (에이 비 씨 … 엘 엠 엔 … 알 …): only L M N R end in a consonant. */
const LETTER_FINAL: Record<string, number> = { l: RIEUL, m: MIEUM, n: NIEUN, r: RIEUL };

/**
 * The last sound of a Latin word as it is pronounced in Korean: ng → ㅇ (long → 롱), l or le → ㄹ (gel → 젤, Apple → 애플),
 * m or a silent e after m → ㅁ (cream → 크림, home → 홈), n or ne → ㄴ (skin → 스킨, phone → 폰); after a vowel b p → ㅂ
 * (LAB → 랩, cup → 컵), c k → ㄱ (Mac → 맥, book → 북), t → ㅅ (cut → 컷). Everything else ends in a vowel sound
 * (toner → 토너, mask → 마스크, mint → 민트, cube → 큐브).
 */
function latinWordFinal(word: string): number {
  if (/ng$/.test(word)) return IEUNG;
  if (/le?$/.test(word)) return RIEUL;
  if (/m$/.test(word) || (word.length > 2 && /me$/.test(word))) return MIEUM;
  if (/n$/.test(word) || (word.length > 2 && /ne$/.test(word))) return NIEUN;
  if (/[aeiouy][bp]$/.test(word)) return BIEUP;
  if (/([aeiouy]|c)k$|[aeiouy]c$/.test(word)) return GIYEOK;
  if (/[aeiouy]t$/.test(word)) return SIOT;
  return 0;
}

/** The final consonant of a word as it is read: 0 none, 8 ㄹ, another positive number for the others; null unknown. */
export function finalConsonant(word: string): number | null {
  const m = /([0-9A-Za-z\uAC00-\uD7A3])[^0-9A-Za-z\uAC00-\uD7A3]*$/.exec(word);
  if (!m) return null;
  const ch = m[1];
  const code = ch.charCodeAt(0) - 0xac00;
  if (code >= 0 && code <= 11171) return code % 28;
  if (/[0-9]/.test(ch)) return DIGIT_FINAL[ch];
  // the whole last Latin word, accented letters included (Lancôme), so that its pronunciation can be judged
  const latin = /(\p{Script=Latin}+)[^0-9\p{Script=Latin}\uAC00-\uD7A3]*$/u.exec(word)![1];
  const spelled = latin.length === 1 || (/^[A-Z]+$/.test(latin) && !/[AEIOU]/.test(latin));
  if (spelled) return LETTER_FINAL[latin.at(-1)!.toLowerCase()] ?? 0;
  return latinWordFinal(latin.toLowerCase());
}

/** The particle of a pair that fits after a word: josa('제니', '이/가') → '가', josa('한소희', '이/가') → '가'. */
export function josa(word: string, pair: JosaPair): string {
  const [withFinal, without] = JOSA_PAIRS[pair];
  const f = finalConsonant(word);
  if (f === null) return without;
  if (pair === '으로/로') return f === 0 || f === RIEUL ? without : withFinal;
  return f === 0 ? without : withFinal;
}

/** The word with its particle: withJosa('라운드랩 크림', '을/를') → '라운드랩 크림을'. */
export const withJosa = (word: string, pair: JosaPair) => `${word}${josa(word, pair)}`;

/** Written-out alternatives ("이(가)", "(이)가", "을(를)", "(으)로" …) and the pair each stands for. */
const UNRESOLVED: [RegExp, JosaPair][] = [
  [/이\(가\)|가\(이\)|\(이\)가|\(가\)이/g, '이/가'],
  [/을\(를\)|를\(을\)|\(을\)를|\(를\)을/g, '을/를'],
  [/은\(는\)|는\(은\)|\(은\)는|\(는\)은/g, '은/는'],
  [/과\(와\)|와\(과\)|\(과\)와|\(와\)과/g, '과/와'],
  [/\(으\)로/g, '으로/로'],
  [/\(이\)나/g, '이나/나'],
  [/\(이\)랑/g, '이랑/랑'],
  [/\(이\)라/g, '이라/라'],
];

/** Resolves written-out particle alternatives by the word before them: "제니이(가) 쓰는" → "제니가 쓰는". */
export function resolveParticles(text: string): string {
  let out = text;
  for (const [re, pair] of UNRESOLVED) {
    out = out.replace(re, (_m, offset: number, whole: string) => josa(whole.slice(0, offset), pair));
  }
  return out;
}
