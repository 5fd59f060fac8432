import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { UNKNOWN_PRODUCT } from '@/src/server/analysis/synthesis-copy';
import { PIPELINE_ACTOR } from '@/src/server/candidates/pipeline/automatic-statuses';
import { now } from '@/src/server/clock';
import { getConfig } from '@/src/server/config';
import { getSetting } from '@/src/server/settings';
import { getDb, schema, transaction } from '@/src/server/db';
import type { CoupangProduct } from '@/src/server/db/schema';
import { DomainError, errorMessage } from '@/src/server/errors';
import { coupangConfigured, CoupangQuotaError, createDeeplink, productPageUrl, searchProducts, type CoupangSearchProduct } from '@/src/server/integrations/coupang/client';
import { log } from '@/src/server/logger';
import { sendNext, startJob } from '@/src/server/queue';
import { syncVideoStage } from '@/src/server/videos/stage';
import { bestMatch, normalizeKeyword } from './match';

export { matchScore, bestMatch, normalizeKeyword } from './match';

const { candidates, candidateEvents, coupangCache, apiUsage } = schema;
const HOUR = 3600_000;
const CACHE_MS = 24 * HOUR;
/** Ledger rows (api_usage, provider coupang) that reserve one search slot; counted under an advisory lock. */
export const SEARCH_SLOT_OPERATION = 'search_slot';

export type MonetizeResult =
  | { status: 'matched' | 'no_match' | 'deferred' | 'not_configured' | 'skipped' | 'gone'; detail?: string }
  | { status: 'postponed'; retryAt: Date; detail: string };

/**
 * Takes one Coupang search slot if fewer than the hourly limit (설정 → thresholds, default COUPANG_SEARCH_PER_HOUR)
 * were taken in the last hour, across all
 * processes (advisory lock + api_usage ledger). Returns when the next slot frees up otherwise.
 */
export async function takeSearchSlot(meta: { videoId: number; candidateId: number }): Promise<{ ok: true } | { ok: false; retryAt: Date }> {
  const limit = (await getSetting('thresholds')).coupangSearchPerHour;
  return transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727002, 0)`);
    const since = new Date(now().getTime() - HOUR);
    const used = await tx
      .select({ at: apiUsage.at })
      .from(apiUsage)
      .where(and(eq(apiUsage.provider, 'coupang'), eq(apiUsage.operation, SEARCH_SLOT_OPERATION), gt(apiUsage.at, since)))
      .orderBy(asc(apiUsage.at));
    if (used.length >= limit) return { ok: false as const, retryAt: new Date(used[used.length - limit].at.getTime() + HOUR + 1000) };
    await tx.insert(apiUsage).values({ provider: 'coupang', operation: SEARCH_SLOT_OPERATION, units: 1, outcome: 'ok', at: now(), ...meta });
    return { ok: true as const };
  });
}

async function cachedSearch(keyword: string): Promise<CoupangSearchProduct[] | null> {
  const [row] = await getDb().select().from(coupangCache).where(and(eq(coupangCache.keyword, keyword), gt(coupangCache.expiresAt, now())));
  return row ? (row.products as CoupangSearchProduct[]) : null;
}

async function storeSearch(keyword: string, products: CoupangSearchProduct[]) {
  const at = now();
  await getDb()
    .insert(coupangCache)
    .values({ keyword, products, fetchedAt: at, expiresAt: new Date(at.getTime() + CACHE_MS) })
    .onConflictDoUpdate({ target: coupangCache.keyword, set: { products, fetchedAt: at, expiresAt: new Date(at.getTime() + CACHE_MS) } });
}

/**
 * PRODUCT.md step 10 for one candidate. Automatic runs search only candidates whose score reaches
 * COUPANG_AUTO_SEARCH_MIN_SCORE (others become `deferred`, searchable on request with `force`). Keywords are
 * deduplicated through a 24 h cache; the hourly quota is a ledger shared by all processes — when it is used up (or
 * Coupang answers with its quota error) the search is postponed to when a slot frees up and nothing is lost.
 * A match gets an affiliate deep link with a per-candidate subId; no match → `no_match`.
 */
export async function monetizeCandidate(candidateId: number, opts: { force?: boolean } = {}): Promise<MonetizeResult> {
  const db = getDb();
  const [c] = await db.select().from(candidates).where(eq(candidates.id, candidateId));
  if (!c) return { status: 'gone' };
  const setStatus = async (status: NonNullable<typeof c.coupangSearchStatus>, extra: Partial<typeof candidates.$inferInsert> = {}) => {
    await db.update(candidates).set({ coupangSearchStatus: status, ...extra }).where(eq(candidates.id, candidateId));
  };
  // 'deferred' is searched again when it has become eligible (a postponed search, a raised score, a name fixed by hand).
  if (!opts.force && c.coupangSearchStatus !== 'pending' && c.coupangSearchStatus !== 'deferred') {
    return { status: 'skipped', detail: `already ${c.coupangSearchStatus}` };
  }
  if (c.coupangUrlManual) return { status: 'skipped', detail: 'a manual Coupang link is attached' };
  if (!coupangConfigured()) {
    await setStatus('not_configured');
    return { status: 'not_configured', detail: 'Coupang Partners is not configured (COUPANG_ACCESS_KEY/COUPANG_SECRET_KEY)' };
  }
  const name = (c.productNameManual ?? c.productNameAi).trim();
  if (!name || name === UNKNOWN_PRODUCT) {
    await setStatus('deferred');
    return { status: 'deferred', detail: 'the product is not identified yet (확인 필요)' };
  }
  if (!opts.force && c.scoreTotal < getConfig().COUPANG_AUTO_SEARCH_MIN_SCORE) {
    await setStatus('deferred');
    return { status: 'deferred', detail: `score ${c.scoreTotal} is below the automatic search threshold ${getConfig().COUPANG_AUTO_SEARCH_MIN_SCORE}` };
  }

  const keyword = normalizeKeyword(name);
  let products = await cachedSearch(keyword);
  if (!products) {
    const slot = await takeSearchSlot({ videoId: c.videoId, candidateId });
    if (!slot.ok) return postpone(c.id, slot.retryAt, 'hourly Coupang search quota is used up');
    try {
      products = await searchProducts(keyword, { videoId: c.videoId, candidateId, subId: subIdFor(candidateId) });
    } catch (err) {
      if (err instanceof CoupangQuotaError) return postpone(c.id, new Date(now().getTime() + HOUR), err.message);
      throw err;
    }
    await storeSearch(keyword, products);
  }

  const match = bestMatch(name, products);
  if (!match) {
    await setStatus('no_match', { coupangKeyword: keyword, isCoupangProduct: false });
    await db.insert(candidateEvents).values({ candidateId, actor: PIPELINE_ACTOR, kind: 'monetized', note: `쿠팡에서 "${keyword}"에 맞는 상품을 찾지 못함 (검색 결과 ${products.length}개)` });
    return { status: 'no_match' };
  }
  const link = await createDeeplink(productPageUrl(match.product), subIdFor(candidateId), { videoId: c.videoId, candidateId });
  const product: CoupangProduct = {
    id: match.product.productId,
    name: match.product.productName,
    price: match.product.productPrice ?? null,
    image: match.product.productImage ?? null,
    url: productPageUrl(match.product),
  };
  await setStatus('matched', { coupangKeyword: keyword, isCoupangProduct: true, coupangUrlAi: link.shortenUrl, coupangProduct: product });
  await db.insert(candidateEvents).values({
    candidateId,
    actor: PIPELINE_ACTOR,
    kind: 'monetized',
    note: `쿠팡 상품 매칭: "${product.name}" (이름 유사도 ${match.score.toFixed(2)})`,
    diff: { coupang_url_ai: { from: c.coupangUrlAi, to: link.shortenUrl } },
  });
  return { status: 'matched' };
}

/** Per-candidate subId so Coupang reports attribute sales to the candidate (alphanumeric, short). */
export function subIdFor(candidateId: number): string {
  return `cand${candidateId}`;
}

async function postpone(candidateId: number, retryAt: Date, reason: string): Promise<MonetizeResult> {
  await getDb().update(candidates).set({ coupangSearchStatus: 'deferred' }).where(eq(candidates.id, candidateId));
  log.info({ candidateId, retryAt, reason }, 'coupang search postponed');
  return { status: 'postponed', retryAt, detail: reason };
}

/** On-demand search from the console/API: any score, deferred or failed candidates included. */
export async function requestCoupangSearch(candidateId: string): Promise<MonetizeResult> {
  if (!/^\d{1,15}$/.test(candidateId)) throw new DomainError('not_found', 'Candidate not found'); // longer: out of bigint range
  const [c] = await getDb().select({ id: candidates.id }).from(candidates).where(eq(candidates.id, Number(candidateId)));
  if (!c) throw new DomainError('not_found', 'Candidate not found');
  if (!coupangConfigured()) throw new DomainError('not_configured', 'Coupang Partners is not configured: set COUPANG_ACCESS_KEY and COUPANG_SECRET_KEY.');
  try {
    const result = await monetizeCandidate(c.id, { force: true });
    if (result.status === 'postponed') await startJob('candidate.monetize', { candidateId: String(c.id) }, { startAfter: result.retryAt });
    await startJob('candidate.score', { candidateId: String(c.id) });
    return result;
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('upstream_failed', `Coupang search failed: ${errorMessage(err)}`);
  }
}

/** The candidate.monetize step (PRODUCT.md step 10) → candidate.score; a search postponed by the hourly limit waits. */
export async function monetizeCandidateStep(candidateId: number): Promise<void> {
  const result = await monetizeCandidate(candidateId);
  log.info({ candidateId, ...result }, 'candidate monetization');
  if (result.status === 'gone') return;
  const id = String(candidateId);
  if (result.status === 'postponed') await sendNext('candidate.monetize', 'candidate.monetize', { candidateId: id }, { startAfter: result.retryAt });
  await sendNext('candidate.monetize', 'candidate.score', { candidateId: id });
}

/** candidate.monetize gave up: the candidate stays reviewable (search again on demand, or attach a link by hand). */
export async function giveUpCoupangSearch(candidateId: number, err: unknown): Promise<void> {
  const [c] = await getDb().update(candidates).set({ coupangSearchStatus: 'failed' }).where(eq(candidates.id, candidateId)).returning({ videoId: candidates.videoId });
  log.warn({ candidateId, err: errorMessage(err) }, 'coupang search failed; candidate kept for review');
  if (!c) return;
  await sendNext('candidate.monetize', 'candidate.score', { candidateId: String(candidateId) });
  await syncVideoStage(c.videoId, 'candidate.monetize');
}
