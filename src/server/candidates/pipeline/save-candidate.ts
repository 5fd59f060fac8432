import { and, eq, sql } from 'drizzle-orm';
import { productKey, sameProduct, UNKNOWN_PRODUCT, type CandidateFields } from '@/src/server/analysis/rule-synthesis';
import { COUPANG_DISCLOSURE } from '@/src/server/analysis/synthesis-copy';
import { schema, type Executor } from '@/src/server/db';
import type { CandidateEvidence } from '@/src/server/db/schema';
import { resolveParticles } from '@/src/server/josa';
import type { PplAssessment } from '@/src/server/ppl';
import type { ScoreDetails } from '@/src/server/scoring/score-candidate';
import { AUTOMATIC_STATUSES, PIPELINE_ACTOR } from './automatic-statuses';

export { PIPELINE_ACTOR } from './automatic-statuses';

const { candidates, candidateEvents, windows } = schema;
type CandidateRow = typeof candidates.$inferSelect;

/** An unnamed praise ("피부가 진짜 촉촉해져요") belongs to the named product praised at most this many seconds before/after. */
export const SAME_TOPIC_GAP_SEC = 90;

export type WindowInfo = { id: number; ordinal: number; start: number; end: number; reason: string; confidence: number };
export type SourceInfo = {
  videoId: number;
  celebrityId: number | null;
  channelId: number | null;
  celebrityName: string;
  channelTitle: string;
  videoTitle: string;
  videoUrl: string;
  videoPublishedAt: Date | null;
};
export type WindowAnalysis = {
  source: SourceInfo;
  window: WindowInfo;
  fields: CandidateFields;
  method: 'rule' | 'llm';
  ppl: PplAssessment;
  score: ScoreDetails;
  evidence: Omit<CandidateEvidence, 'otherWindows'>;
};
export type SaveOutcome = { candidateId: number | null; outcome: 'created' | 'updated' | 'merged' | 'none' };

const isUnknown = (r: CandidateRow) => r.productNameManual === null && r.productNameAi === UNKNOWN_PRODUCT;
const untouched = (r: CandidateRow) => r.reviewedBy === null && r.productNameManual === null && AUTOMATIC_STATUSES.has(r.currentStatus);
const sameSpan = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  Math.abs(a.start - b.start) < 0.01 && Math.abs(a.end - b.end) < 0.01;
const clipOf = (r: CandidateRow) => ({ start: r.clipStartTime, end: r.clipEndTime });
const gap = (a: { start: number; end: number }, b: { start: number; end: number }) => Math.max(0, Math.max(a.start, b.start) - Math.min(a.end, b.end));

function withDisclosure(caption: string): string {
  return caption.includes(COUPANG_DISCLOSURE) ? caption : `${caption.trim()}\n\n${COUPANG_DISCLOSURE}`.trim();
}

function analysisColumns(a: WindowAnalysis, otherWindows: CandidateEvidence['otherWindows']) {
  const f = a.fields;
  return {
    windowId: a.window.id,
    clipStartTime: a.window.start,
    clipEndTime: a.window.end,
    productNameAi: f.product_name_ai,
    categoryPath: f.category_path,
    features: f.features,
    scoreTotal: a.score.total,
    sentimentScore: a.score.sentiment_score,
    endorsementScore: a.score.endorsement_score,
    influencerScore: a.score.influencer_score,
    scoreEvidence: null, // set by candidate.score after monetization: its presence marks the candidate's chain finished
    // Copy as stored: written-out particle alternatives ("제니이(가)") resolved by the word before them.
    hookSentence: f.hook_sentence ? resolveParticles(f.hook_sentence) : null,
    summaryForCaption: withDisclosure(resolveParticles(f.summary_for_caption ?? '')),
    targetAudience: f.target_audience,
    pricePoint: f.price_point,
    endorsementType: f.endorsement_type,
    recommendedTitles: f.recommended_titles.map(resolveParticles),
    recommendedHashtags: f.recommended_hashtags,
    analysisMethod: a.method,
    isPpl: a.ppl.isPpl,
    pplConfidence: a.ppl.probability,
    pplReasons: a.ppl.reasons,
    evidence: { ...a.evidence, otherWindows },
  };
}

function addOther(list: CandidateEvidence['otherWindows'], w: { start: number; end: number; reason: string }) {
  return list.some((o) => sameSpan(o, w)) ? list : [...list, { start: w.start, end: w.end, reason: w.reason }].sort((x, y) => x.start - y.start);
}

/**
 * Serialises the writers of one video's candidates until the transaction ends. Take it before any row lock in that
 * transaction: a window's synthesis that held its window row first and then waited here deadlocked with one that held
 * this lock and needed the row (the foreign-key check of a candidate updated twice in one transaction).
 */
export async function lockVideoCandidates(tx: Executor, videoId: number) {
  await tx.execute(sql`select pg_advisory_xact_lock(727001, ${videoId % 2147483647}::int)`);
}

/**
 * Persists one analysed window as a candidate, one candidate per (video, product) (PRODUCT.md, ARCHITECTURE.md):
 * - a named product already found in another window keeps the stronger window (higher score, then confidence) as the
 *   clip and lists the other in `evidence.otherWindows`;
 * - an unnamed praise ("확인 필요") joins the nearest named candidate within SAME_TOPIC_GAP_SEC; unnamed candidates
 *   made earlier (when their window finished first) are folded into a named one as soon as it appears;
 * - a rerun of the same window updates the same row (natural key video + product).
 * Runs under a per-video advisory lock inside the caller's transaction; writes candidate_events rows.
 */
export async function saveWindowCandidate(tx: Executor, a: WindowAnalysis): Promise<SaveOutcome> {
  const videoId = a.source.videoId;
  await lockVideoCandidates(tx, videoId);
  const rows = await tx.select().from(candidates).where(eq(candidates.videoId, videoId));
  const win = a.window;
  const winSpan = { start: win.start, end: win.end, reason: win.reason };

  // A rerun: forget this window wherever an earlier run listed it as "other" evidence.
  for (const r of rows) {
    const other = r.evidence?.otherWindows ?? [];
    if (r.windowId !== win.id && other.some((o) => sameSpan(o, winSpan))) {
      const evidence = { ...r.evidence!, otherWindows: other.filter((o) => !sameSpan(o, winSpan)) };
      await tx.update(candidates).set({ evidence }).where(eq(candidates.id, r.id));
      r.evidence = evidence;
    }
  }
  const named = a.fields.product_name_ai !== UNKNOWN_PRODUCT;
  const event = (candidateId: number, kind: 'created' | 'analyzed', note: string, toStatus?: string) =>
    tx.insert(candidateEvents).values({ candidateId, actor: PIPELINE_ACTOR, kind, note, toStatus: toStatus ?? null });

  if (!named) {
    const target = rows
      .filter((r) => !isUnknown(r) && r.windowId !== win.id)
      .map((r) => ({ r, d: Math.min(gap(clipOf(r), win), ...(r.evidence?.otherWindows ?? []).map((o) => gap(o, win))) }))
      .filter((x) => x.d <= SAME_TOPIC_GAP_SEC)
      .sort((x, y) => x.d - y.d)[0]?.r;
    // This window may have produced a candidate of its own before (a rerun with a different answer): drop it if untouched.
    for (const r of rows) if (r.windowId === win.id && target && untouched(r)) await tx.delete(candidates).where(eq(candidates.id, r.id));
    if (target) {
      const evidence = { ...target.evidence!, otherWindows: addOther(target.evidence?.otherWindows ?? [], winSpan) };
      await tx.update(candidates).set({ evidence, scoreEvidence: null, version: sql`${candidates.version} + 1` }).where(eq(candidates.id, target.id));
      await event(target.id, 'analyzed', `${win.ordinal}번째 구간(${win.start.toFixed(0)}–${win.end.toFixed(0)}초)도 같은 제품을 칭찬함: 근거로 추가`);
      return { candidateId: target.id, outcome: 'merged' };
    }
  }

  const key = named ? productKey(a.fields.product_name_ai) : `unknown:w${win.ordinal}`;
  const match =
    rows.find((r) => r.productKey === key) ??
    (named ? rows.find((r) => !isUnknown(r) && !r.productKey.startsWith('unknown:') && sameProduct(r.productNameManual ?? r.productNameAi, a.fields.product_name_ai)) : undefined);

  let candidateId: number;
  let outcome: SaveOutcome['outcome'];
  if (!match) {
    const [row] = await tx
      .insert(candidates)
      .values({ ...a.source, productKey: key, ...analysisColumns(a, []), coupangSearchStatus: 'pending', currentStatus: 'needs_review' })
      .returning({ id: candidates.id });
    candidateId = row.id;
    outcome = 'created';
    await event(candidateId, 'created', `${win.ordinal}번째 구간(${win.start.toFixed(0)}–${win.end.toFixed(0)}초)에서 ${a.method === 'rule' ? '규칙 기반' : 'LLM'} 분석으로 찾음`, 'needs_review');
  } else {
    candidateId = match.id;
    outcome = 'updated';
    const other = match.evidence?.otherWindows ?? [];
    const stronger = match.windowId === win.id || a.score.total > match.scoreTotal;
    if (stronger) {
      let keep = other;
      if (match.windowId !== win.id) {
        const [old] = match.windowId ? await tx.select({ reason: windows.reason }).from(windows).where(eq(windows.id, match.windowId)) : [];
        keep = addOther(other, { ...clipOf(match), reason: old?.reason ?? '' });
      }
      await tx
        .update(candidates)
        .set({
          ...analysisColumns(a, keep),
          ...(match.coupangSearchStatus === 'matched' || match.coupangSearchStatus === 'manual' ? {} : { coupangSearchStatus: 'pending' as const }),
          version: sql`${candidates.version} + 1`,
        })
        .where(eq(candidates.id, match.id));
      await event(candidateId, 'analyzed', `${win.ordinal}번째 구간(${win.start.toFixed(0)}–${win.end.toFixed(0)}초) 분석: 이 구간이 클립`);
    } else {
      const evidence = {
        ...match.evidence!,
        otherWindows: addOther(other, winSpan),
        ocrLines: [...new Set([...(match.evidence?.ocrLines ?? []), ...a.evidence.ocrLines])],
      };
      await tx.update(candidates).set({ evidence, scoreEvidence: null, version: sql`${candidates.version} + 1` }).where(eq(candidates.id, match.id));
      await event(candidateId, 'analyzed', `${win.ordinal}번째 구간(${win.start.toFixed(0)}–${win.end.toFixed(0)}초)도 같은 제품을 칭찬함: 근거로 추가`);
      return { candidateId, outcome: 'merged' };
    }
  }

  if (named) {
    // Unnamed candidates near this product (their window finished first) are the same praise: fold them in.
    const fresh = await tx.select().from(candidates).where(eq(candidates.id, candidateId));
    let evidence = fresh[0].evidence!;
    for (const r of rows) {
      if (r.id === candidateId || !isUnknown(r) || !r.productKey.startsWith('unknown:') || !untouched(r)) continue;
      if (gap(clipOf(r), win) > SAME_TOPIC_GAP_SEC) continue;
      const nearerNamed = rows.some((o) => o.id !== candidateId && !isUnknown(o) && gap(clipOf(o), clipOf(r)) < gap(win, clipOf(r)));
      if (nearerNamed) continue;
      const [own] = r.windowId ? await tx.select({ reason: windows.reason }).from(windows).where(eq(windows.id, r.windowId)) : [];
      evidence = { ...evidence, otherWindows: addOther(evidence.otherWindows, { ...clipOf(r), reason: own?.reason ?? '' }) };
      for (const o of r.evidence?.otherWindows ?? []) evidence = { ...evidence, otherWindows: addOther(evidence.otherWindows, o) };
      await tx.delete(candidates).where(and(eq(candidates.id, r.id), eq(candidates.videoId, videoId)));
    }
    await tx.update(candidates).set({ evidence }).where(eq(candidates.id, candidateId));
  }
  return { candidateId, outcome };
}
