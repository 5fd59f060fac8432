/**
 * Product mentions in one line of speech or on-screen text: brands from the gazetteer (and their product lines),
 * model tokens ("WF-1000XM5", "V15", "530"), and product nouns from the taxonomy ("프라이팬", "이어폰").
 */
import { findBrandMentions, type Brand } from './brand-gazetteer';
import { prepareText } from './korean-words';
import { findProductNouns } from './taxonomy';

export type Mention =
  | { kind: 'brand'; key: string; brand: Brand; line: boolean; wordIndex: number; wordCount: number }
  | { kind: 'model'; key: string; text: string }
  | { kind: 'noun'; key: string; noun: string; path: string; weak: boolean };

/** Latin/digit tokens with both a letter and a digit, or a dash between letters ("WF-1000XM5", "S24", "V15"). */
const MODEL_TOKEN = /(?<![A-Za-z0-9-])(?=[A-Za-z0-9-]*[A-Za-z])(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{1,14}(?![A-Za-z0-9-])/g;
/** Sizes, amounts and times are not models. */
const NOT_MODEL = /^(?:\d+(?:ml|l|g|kg|mg|mm|cm|m|oz|ea|p|pcs|gb|tb|mah|w|v|hz|k|min|s|h|x|am|pm|st|nd|rd|th|d|mp|fps|fl)|[a-z]{1,2}\d{1,2}|mp3|mp4|4k|8k|5g|4g|3d|2d|1st|2nd|3rd|covid19|k2|g7)$/i;

export function modelTokens(text: string): string[] {
  return [...prepareText(text).matchAll(MODEL_TOKEN)].map((m) => m[0]).filter((t) => !NOT_MODEL.test(t) && t.replace(/\D/g, '').length >= 1 && t.length >= 3);
}

export function findMentions(text: string): Mention[] {
  const out: Mention[] = [];
  for (const m of findBrandMentions(text))
    out.push({ kind: 'brand', key: `brand:${m.brand.id}`, brand: m.brand, line: m.kind === 'line', wordIndex: m.wordIndex, wordCount: m.wordCount });
  for (const t of modelTokens(text)) out.push({ kind: 'model', key: `model:${t.toLowerCase().replace(/-/g, '')}`, text: t });
  for (const n of findProductNouns(text)) out.push({ kind: 'noun', key: `noun:${n.path}`, noun: n.noun, path: n.path, weak: n.weak });
  return out;
}

/** The keys that identify which product a line is about: brands and models (nouns name a kind, not a product). */
export function identifyingKeys(ms: readonly Mention[]): string[] {
  return [...new Set(ms.filter((m) => m.kind !== 'noun').map((m) => m.key))];
}
