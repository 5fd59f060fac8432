/**
 * Korean text normalization shared by the rule passes.
 * NFC (never NFKC: it would turn compatibility jamo such as ㅋㅋ into conjoining jamo), full-width ASCII folded to
 * ASCII, zero-width characters removed, whitespace collapsed.
 */

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/g;

export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .replace(ZERO_WIDTH, '')
    .replace(FULL_WIDTH_ASCII, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Normalized text without any whitespace, so that "잘 쓰는" and "잘쓰는" match the same pattern. */
export function compactText(text: string): string {
  return normalizeText(text).replace(/\s+/g, '');
}
