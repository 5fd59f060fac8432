/**
 * Product identity across windows: a normalized key and a same-product test.
 * Brands come from the gazetteer (Latin, Hangul and spoken forms are one brand); common product words seen in Latin
 * on packaging and in Hangul in speech are aliased; anything else falls back to shared tokens (no transliteration).
 */
import { findBrand as findGazetteerBrand, type Brand } from './brand-gazetteer';
import { normalizeText } from './normalize-korean';

export type { Brand } from './brand-gazetteer';

/** Common product words seen in Latin on packaging and in Hangul in speech. */
export const WORD_ALIASES: Record<string, string> = {
  earbuds: '이어폰', earphones: '이어폰', headphones: '헤드폰', speaker: '스피커', pan: '프라이팬', blender: '블렌더',
  tumbler: '텀블러', shampoo: '샴푸', vitamin: '비타민', probiotics: '유산균', protein: '프로틴', keyboard: '키보드', mouse: '마우스',
  toner: '토너', serum: '세럼', ampoule: '앰플', essence: '에센스', cream: '크림', lotion: '로션', cushion: '쿠션',
  tint: '틴트', pad: '패드', pads: '패드', oil: '오일', balm: '밤', mask: '마스크', sun: '선', cleansing: '클렌징',
  foundation: '파운데이션', palette: '팔레트', perfume: '향수', diffuser: '디퓨저', dokdo: '독도', cica: '시카',
};

const normKey = (s: string) => normalizeText(s).toLowerCase().replace(/[^0-9a-z\uAC00-\uD7A3]/g, '');

/** Lowercase, NFC, spaces and punctuation removed; Hangul, Latin and digits kept. */
export function productKey(name: string): string {
  return normKey(name);
}

/** Size/volume tokens that say nothing about identity ("200ml", "6.7 fl.oz"). */
const SIZE_TOKEN = /^\d+(?:[.,]\d+)?(?:ml|g|kg|oz|floz|매|개입|개|ea)?$|^(?:ml|fl|oz|floz)$/;

export function findBrand(text: string): Brand | null {
  return findGazetteerBrand(text);
}

/** Canonical identity tokens: `brand:<id>`, aliased product words, other words; size tokens dropped. */
export function identityTokens(name: string): Set<string> {
  let text = normalizeText(name).toLowerCase();
  const tokens = new Set<string>();
  const brand = findGazetteerBrand(name);
  if (brand) {
    tokens.add(`brand:${brand.id}`);
    for (const alias of [...brand.ko, ...brand.en, ...brand.spoken].sort((a, b) => b.length - a.length)) {
      const a = alias.toLowerCase();
      if (a.length >= 2 && text.includes(a)) text = text.split(a).join(' ');
    }
  }
  for (const raw of text.split(/[^0-9a-z\uAC00-\uD7A3.]+/)) {
    const tok = raw.replace(/\./g, '');
    if (!tok || SIZE_TOKEN.test(tok)) continue;
    tokens.add(WORD_ALIASES[tok] ?? tok);
  }
  return tokens;
}

/**
 * Same product when: keys are equal or one contains the other (≥ 4 characters), or the identity tokens overlap by
 * at least `threshold` of the smaller set (overlap coefficient) without naming two different brands.
 */
export function sameProduct(a: string, b: string, threshold = 0.6): boolean {
  const ka = productKey(a);
  const kb = productKey(b);
  if (!ka || !kb) return false;
  if (ka === kb) return true;
  const ta = identityTokens(a);
  const tb = identityTokens(b);
  const brandA = [...ta].filter((t) => t.startsWith('brand:'));
  const brandB = [...tb].filter((t) => t.startsWith('brand:'));
  if (brandA.length && brandB.length && !brandA.some((x) => brandB.includes(x))) return false;
  if (Math.min(ka.length, kb.length) >= 4 && (ka.includes(kb) || kb.includes(ka))) return true;
  const shared = [...ta].filter((t) => tb.has(t)).length;
  const smaller = Math.min(ta.size, tb.size);
  // a shared brand alone is not enough: two products of one brand are different products
  const sharedNonBrand = [...ta].filter((t) => tb.has(t) && !t.startsWith('brand:')).length;
  return smaller > 0 && sharedNonBrand > 0 && shared / smaller >= threshold;
}
