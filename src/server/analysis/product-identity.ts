/**
 * Product identity across windows: a normalized key and a same-product test.
 * Brands are matched through a small Latin↔Hangul alias table; other words through a small table of common product
 * nouns; anything else falls back to shared tokens (no transliteration).
 */
import { normalizeText } from './normalize-korean';

export type BrandAlias = { id: string; latin: string[]; hangul: string[]; tier?: 'luxury' | 'premium' };

export const BRAND_ALIASES: readonly BrandAlias[] = [
  { id: 'roundlab', latin: ['ROUND LAB', 'ROUNDLAB'], hangul: ['라운드랩'] },
  { id: 'torriden', latin: ['TORRIDEN'], hangul: ['토리든'] },
  { id: 'anua', latin: ['ANUA'], hangul: ['아누아'] },
  { id: 'medicube', latin: ['MEDICUBE'], hangul: ['메디큐브'] },
  { id: 'drg', latin: ['DR.G', 'DR G'], hangul: ['닥터지'] },
  { id: 'drjart', latin: ['DR.JART+', 'DR.JART', 'DR JART'], hangul: ['닥터자르트'] },
  { id: 'clio', latin: ['CLIO'], hangul: ['클리오'] },
  { id: 'romand', latin: ['ROM&ND', 'ROMAND'], hangul: ['롬앤'] },
  { id: 'espoir', latin: ['ESPOIR'], hangul: ['에스쁘아'] },
  { id: 'dasique', latin: ['DASIQUE'], hangul: ['데이지크'] },
  { id: 'banilaco', latin: ['BANILA CO', 'BANILACO'], hangul: ['바닐라코'] },
  { id: 'mediheal', latin: ['MEDIHEAL'], hangul: ['메디힐'] },
  { id: 'illiyoon', latin: ['ILLIYOON'], hangul: ['일리윤'] },
  { id: 'aestura', latin: ['AESTURA'], hangul: ['에스트라'] },
  { id: 'sulwhasoo', latin: ['SULWHASOO'], hangul: ['설화수'], tier: 'luxury' },
  { id: 'diptyque', latin: ['DIPTYQUE'], hangul: ['딥티크'], tier: 'luxury' },
  { id: 'byredo', latin: ['BYREDO'], hangul: ['바이레도'], tier: 'luxury' },
  { id: 'jomalone', latin: ['JO MALONE', 'JO MALONE LONDON'], hangul: ['조말론'], tier: 'luxury' },
  { id: 'chanel', latin: ['CHANEL'], hangul: ['샤넬'], tier: 'luxury' },
  { id: 'dior', latin: ['DIOR'], hangul: ['디올'], tier: 'luxury' },
  { id: 'newbalance', latin: ['NEW BALANCE'], hangul: ['뉴발란스'] },
  { id: 'samsung', latin: ['SAMSUNG'], hangul: ['삼성'] },
  { id: 'burtsbees', latin: ["BURT'S BEES", 'BURTS BEES'], hangul: ['버츠비'] },
  { id: 'aeyunche', latin: ['AYUNCHE', 'AEYUNCHE'], hangul: ['아윤채'], tier: 'premium' },
  { id: 'helinox', latin: ['HELINOX'], hangul: ['헬리녹스'], tier: 'premium' },
  { id: 'vodana', latin: ['VODANA'], hangul: ['보다나'] },
  { id: 'makeprem', latin: ['MAKE P:REM', 'MAKEPREM'], hangul: ['메이크프렘'] },
  { id: 'innisfree', latin: ['INNISFREE'], hangul: ['이니스프리'] },
  { id: 'cosrx', latin: ['COSRX'], hangul: ['코스알엑스'] },
  { id: 'laneige', latin: ['LANEIGE'], hangul: ['라네즈'] },
  { id: 'etude', latin: ['ETUDE', 'ETUDE HOUSE'], hangul: ['에뛰드', '에뛰드하우스'] },
  { id: 'daiso', latin: ['DAISO'], hangul: ['다이소'] },
];

/** Common product words seen in Latin on packaging and in Hangul in speech. */
export const WORD_ALIASES: Record<string, string> = {
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

export function findBrand(text: string): BrandAlias | null {
  const t = normKey(text);
  let best: { brand: BrandAlias; len: number } | null = null;
  for (const brand of BRAND_ALIASES)
    for (const alias of [...brand.latin, ...brand.hangul]) {
      const a = normKey(alias);
      if (a.length >= 2 && t.includes(a) && (!best || a.length > best.len)) best = { brand, len: a.length };
    }
  return best?.brand ?? null;
}

/** Canonical identity tokens: `brand:<id>`, aliased product words, other words; size tokens dropped. */
export function identityTokens(name: string): Set<string> {
  let text = normalizeText(name).toLowerCase();
  const tokens = new Set<string>();
  for (const brand of BRAND_ALIASES)
    for (const alias of [...brand.latin, ...brand.hangul].sort((a, b) => b.length - a.length)) {
      const a = alias.toLowerCase();
      if (text.includes(a)) {
        tokens.add(`brand:${brand.id}`);
        text = text.split(a).join(' ');
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
