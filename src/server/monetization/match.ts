import { findBrand, identityTokens } from '@/src/server/analysis/product-identity';
import { normalizeText } from '@/src/server/analysis/normalize-korean';

/** Keyword dedup: one search per normalized keyword (NFC, lower case, single spaces). */
export function normalizeKeyword(name: string): string {
  return normalizeText(name).toLowerCase().replace(/\s+/g, ' ').trim();
}

export type MatchCandidate = { productId: string; productName: string; productPrice?: number | null; productImage?: string | null; productUrl: string };

/**
 * How well a Coupang product name matches the candidate's product name (0..1): overlap of identity tokens (brand ids,
 * aliased product words, other words; sizes ignored) relative to the candidate's tokens, with the brand required to
 * agree when both name one.
 */
export function matchScore(wanted: string, offered: string): number {
  const a = identityTokens(wanted);
  const b = identityTokens(offered);
  if (!a.size || !b.size) return 0;
  const ba = findBrand(wanted);
  const bb = findBrand(offered);
  if (ba && bb && ba.id !== bb.id) return 0;
  let hit = 0;
  for (const t of a) if (b.has(t) || [...b].some((x) => x.length >= 2 && (x.includes(t) || t.includes(x)))) hit++;
  const score = hit / a.size;
  return ba && !bb ? score * 0.7 : score;
}

export const MIN_MATCH_SCORE = 0.5;

export function bestMatch<T extends MatchCandidate>(wanted: string, products: T[]): { product: T; score: number } | null {
  let best: { product: T; score: number } | null = null;
  for (const p of products) {
    const score = matchScore(wanted, p.productName);
    if (!best || score > best.score) best = { product: p, score };
  }
  return best && best.score >= MIN_MATCH_SCORE ? best : null;
}
