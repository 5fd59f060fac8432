/**
 * Hangul → Latin letters by the Revised Romanization of Korean, syllable by syllable (no sound-change rules): enough
 * to make a readable short link from a product name (라운드랩 독도 토너 → raundeuraep dokdo toneo). Pure.
 */
const INITIALS = ['g', 'kk', 'n', 'd', 'tt', 'r', 'm', 'b', 'pp', 's', 'ss', '', 'j', 'jj', 'ch', 'k', 't', 'p', 'h'];
const MEDIALS = ['a', 'ae', 'ya', 'yae', 'eo', 'e', 'yeo', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wo', 'we', 'wi', 'yu', 'eu', 'ui', 'i'];
const FINALS = ['', 'k', 'k', 'k', 'n', 'n', 'n', 't', 'l', 'k', 'm', 'l', 'l', 'l', 'p', 'l', 'm', 'p', 'p', 't', 't', 'ng', 't', 't', 'k', 't', 'p', 't'];

const FIRST = 0xac00;
const LAST = 0xd7a3;

export function romanizeHangul(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if (code < FIRST || code > LAST) {
      out += ch;
      continue;
    }
    const s = code - FIRST;
    const initial = Math.floor(s / 588);
    const medial = Math.floor((s % 588) / 28);
    const final = s % 28;
    out += INITIALS[initial] + MEDIALS[medial] + FINALS[final];
  }
  return out;
}
