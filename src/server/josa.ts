/**
 * Korean particles (조사) chosen by the final consonant of the word before them, shared by every place that writes
 * Korean copy (generated captions, titles, hooks, demo rows, console messages). Pure; no imports, safe in the browser.
 *
 * Hangul syllables are read exactly. Otherwise the last letter or digit decides as it is read aloud: digits 0 1 3 6 7 8
 * (영/십, 일, 삼, 육, 칠, 팔) end in a consonant, 2 4 5 9 do not; a Latin word ending in b c k l m n p t or ng
 * (LAB → 랩, cream → 크림) does, others (toner → 토너) do not; single letters by their names (L M N R: 엘 엠 엔 알).
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

const RIEUL = 8;

/** The final consonant of a word as it is read: 0 none, 8 ㄹ, another positive number for the others; null unknown. */
export function finalConsonant(word: string): number | null {
  const m = /([0-9A-Za-z\uAC00-\uD7A3])[^0-9A-Za-z\uAC00-\uD7A3]*$/.exec(word);
  if (!m) return null;
  const ch = m[1];
  const code = ch.charCodeAt(0) - 0xac00;
  if (code >= 0 && code <= 11171) return code % 28;
  if (/[0-9]/.test(ch)) return ({ 0: 21, 1: RIEUL, 3: 16, 6: 1, 7: RIEUL, 8: RIEUL } as Record<string, number>)[ch] ?? 0;
  const latin = /([A-Za-z]+)[^0-9A-Za-z\uAC00-\uD7A3]*$/.exec(word)![1].toLowerCase();
  if (latin.length === 1) return 'lmnr'.includes(latin) ? (latin === 'l' || latin === 'r' ? RIEUL : 16) : 0;
  if (/ng$/.test(latin)) return 21;
  if (/l$/.test(latin)) return RIEUL;
  return /[bckmnpt]$/.test(latin) ? 1 : 0;
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
