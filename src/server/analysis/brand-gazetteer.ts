/**
 * The brand gazetteer (gazetteer/brands.json: brands sold in Korea across every Coupang top-level category, with
 * Hangul, Latin and spoken forms and well-known product lines; its `source` says where it came from) and the
 * matching of brand mentions in speech and on-screen text.
 *
 * A mention must start at a word: "삼성" in "삼성 비스포크" counts, inside "고삼성적" it does not. After the alias the
 * word may only go on with a particle, "꺼/거/제품", or a product noun ("다이슨청소기"). A brand marked ambiguous (its
 * name is also an everyday word: 오늘, 자연, 해피) counts only when a product noun or one of its product lines follows
 * within two words. Aliases shorter than two characters are never matched.
 */
import data from './gazetteer/brands.json';
import { stripParticle } from './korean-words';
import { normalizeText } from './normalize-korean';
import { isProductNoun } from './taxonomy';

export type Brand = {
  id: string;
  ko: string[];
  en: string[];
  spoken: string[];
  lines: string[];
  category: string;
  tier: 'luxury' | 'premium' | null;
  ambiguous: boolean;
};

export const BRANDS: readonly Brand[] = (data as { brands: Partial<Brand>[] }).brands.map((b) => ({
  id: b.id!,
  ko: b.ko ?? [],
  en: b.en ?? [],
  spoken: b.spoken ?? [],
  lines: b.lines ?? [],
  category: b.category!,
  tier: b.tier ?? null,
  ambiguous: b.ambiguous ?? false,
}));

export const GAZETTEER_SOURCE: string = (data as { source: string }).source;

type Alias = { key: string; brand: Brand; kind: 'name' | 'line'; latin: boolean };

export const aliasKey = (s: string) => normalizeText(s).toLowerCase().replace(/[\s.·'’&+-]/g, '');

const ALIASES: Alias[] = (() => {
  const seen = new Map<string, Alias>();
  for (const brand of BRANDS) {
    const add = (raw: string, kind: Alias['kind']) => {
      const key = aliasKey(raw);
      if (key.length < 2) return;
      const prev = seen.get(key);
      // a brand's own name beats another brand's product line of the same spelling
      if (!prev || (prev.kind === 'line' && kind === 'name')) seen.set(key, { key, brand, kind, latin: !/[가-힣]/.test(key) });
    };
    for (const n of [...brand.ko, ...brand.en, ...brand.spoken]) add(n, 'name');
    // a line that is a plain product word ("핸드크림", "스타일러") names a kind of product, not this brand's
    // and a short Hangul line ("스팀", "그램") is an everyday word more often than a product line
    for (const n of brand.lines) if (!isProductNoun(aliasKey(n)) && !/^[가-힣]{1,2}$/.test(aliasKey(n))) add(n, 'line');
  }
  return [...seen.values()].sort((a, b) => b.key.length - a.key.length);
})();

const BY_FIRST = (() => {
  const m = new Map<string, Alias[]>();
  for (const a of ALIASES) m.set(a.key[0], [...(m.get(a.key[0]) ?? []), a]);
  return m;
})();

export function brandById(id: string): Brand | undefined {
  return BRANDS.find((b) => b.id === id);
}

export type BrandMention = {
  brand: Brand;
  /** The alias as it stands in the text's compact form. */
  alias: string;
  kind: 'name' | 'line';
  /** Index of the first word of the mention, and how many words it spans. */
  wordIndex: number;
  wordCount: number;
};

const REST_OK = /^(?:이|가|은|는|을|를|도|의|에|에서|으로|로|랑|이랑|하고|꺼|거|것|제품|껄|걸|께|만|까지|이에요|예요|에요|이고|인데|인데요|입니다|이죠|죠|요)?$/;

/** Brand mentions in a text, longest alias first at each word, left to right. */
export function findBrandMentions(text: string): BrandMention[] {
  const ws = normalizeText(text)
    .split(' ')
    .map((w) => w.replace(/^[.,!?~…"'()[\]「」『』]+|[.,!?~…"'()[\]「」『』]+$/g, ''));
  const keys = ws.map(aliasKey);
  const out: BrandMention[] = [];
  for (let i = 0; i < ws.length; i++) {
    if (!keys[i]) continue;
    const joined = keys.slice(i, i + 4).join('');
    const candidates = BY_FIRST.get(joined[0]) ?? [];
    for (const a of candidates) {
      if (!joined.startsWith(a.key)) continue;
      // the alias must end at a word end, or inside a word followed only by a particle or a product noun
      let consumed = 0;
      let words = 0;
      while (consumed < a.key.length && i + words < ws.length) consumed += keys[i + words++].length;
      const rest = joined.slice(a.key.length, consumed);
      if (rest && !(REST_OK.test(rest) || isProductNoun(rest))) continue;
      if (a.latin && /[a-z0-9]$/.test(a.key) && /^[a-z0-9]/.test(rest)) continue;
      if (!trusted(a, ws, i + words)) continue;
      out.push({ brand: a.brand, alias: a.key, kind: a.kind, wordIndex: i, wordCount: words });
      i += words - 1;
      break;
    }
  }
  return out;
}

/** An ambiguous name (also an everyday word) counts only with a product noun or one of its lines right after it. */
function trusted(a: Alias, ws: string[], next: number): boolean {
  if (!a.brand.ambiguous || a.kind === 'line') return true;
  return ws.slice(next, next + 2).some((w) => isProductNoun(stripParticle(w)) || a.brand.lines.some((l) => aliasKey(l) === aliasKey(stripParticle(w))));
}

/** The brand a text names: its first brand name, else its first product line ("에어랩" → Dyson), or null. */
export function findBrand(text: string): Brand | null {
  const ms = findBrandMentions(text);
  return (ms.find((m) => m.kind === 'name') ?? ms[0])?.brand ?? null;
}

/** Display form of a brand in Hangul (Coupang is searched in Korean), else its Latin name. */
export function brandDisplayName(b: Brand): string {
  return b.ko[0] ?? b.en[0] ?? b.id;
}

/** Every alias key of a brand (names and lines), for identity comparison. */
export function brandAliasKeys(b: Brand): string[] {
  return [...b.ko, ...b.en, ...b.spoken, ...b.lines].map(aliasKey).filter((k) => k.length >= 2);
}
