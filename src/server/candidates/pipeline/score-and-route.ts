import { eq, sql } from 'drizzle-orm';
import { routeCandidate, scoreCandidate, type EndorsementType } from '@/src/server/scoring';
import { syncVideoStage } from '@/src/server/videos/stage';
import { AUTOMATIC_STATUSES, PIPELINE_ACTOR } from './automatic-statuses';
import { getDb, schema } from '@/src/server/db';
import { log } from '@/src/server/logger';
import { getSetting } from '@/src/server/settings';

const { candidates, candidateEvents, videos, channels, transcripts } = schema;

/**
 * PRODUCT.md steps 11–12 for one candidate after monetization: the score (recomputed from the stored speech, channel
 * and video statistics; identical to the one used before the Coupang search unless the statistics changed) with
 * the evidence of each component, then routing, first match wins. Routing never approves, and a candidate an
 * operator has already decided on keeps its status.
 */
export async function scoreAndRouteCandidate(candidateId: number): Promise<{ status: string; total: number } | null> {
  const db = getDb();
  const [c] = await db.select().from(candidates).where(eq(candidates.id, candidateId));
  if (!c) return null;
  const [video] = await db.select().from(videos).where(eq(videos.id, c.videoId));
  const [channel] = c.channelId ? await db.select().from(channels).where(eq(channels.id, c.channelId)) : [];
  // The clip's speech plus what was said in the other windows praising the same product.
  const [transcript] = await db.select().from(transcripts).where(eq(transcripts.videoId, c.videoId));
  const others = (c.evidence?.otherWindows ?? []).flatMap((w) => (transcript?.segments ?? []).filter((s) => s.end > w.start && s.start < w.end));
  const speech = [...(c.evidence?.transcriptSpan ?? []), ...others].map((s) => s.text).join(' ');
  const score = scoreCandidate({
    speech,
    channel: channel ? { subscriberCount: channel.subscriberCount, videoCount: channel.videoCount, viewCount: channel.viewCount } : null,
    video: video ? { viewCount: video.viewCount, likeCount: video.likeCount } : null,
    endorsementType: (c.endorsementType as EndorsementType | null) ?? null,
  });
  const hasCoupangMatch = c.coupangUrlManual ? true : c.coupangSearchStatus === 'matched' ? true : c.coupangSearchStatus === 'no_match' ? false : null;
  // Thresholds as the operators set them under 설정 (defaults: REVIEW_MIN_SCORE and the PPL high line).
  const thresholds = await getSetting('thresholds');
  const route = routeCandidate({
    pplProbability: c.pplConfidence,
    pplHigh: thresholds.pplHighRisk,
    hasCoupangMatch,
    total: score.total,
    scoreThreshold: thresholds.scoreMin,
  });
  const decided = c.reviewedBy !== null || !AUTOMATIC_STATUSES.has(c.currentStatus);
  const status = decided ? c.currentStatus : route;
  await db
    .update(candidates)
    .set({
      scoreTotal: score.total,
      sentimentScore: score.sentiment_score,
      endorsementScore: score.endorsement_score,
      influencerScore: score.influencer_score,
      scoreEvidence: score.evidence,
      currentStatus: status,
      ...(status !== c.currentStatus ? { version: sql`${candidates.version} + 1` } : {}),
    })
    .where(eq(candidates.id, candidateId));
  if (status !== c.currentStatus) {
    await db.insert(candidateEvents).values({
      candidateId,
      actor: PIPELINE_ACTOR,
      kind: 'analyzed',
      fromStatus: c.currentStatus,
      toStatus: status,
      note: `점수 계산 뒤 분류: 점수 ${score.total}, PPL 확률 ${c.pplConfidence.toFixed(2)}, 쿠팡 ${COUPANG_SEARCH[c.coupangSearchStatus] ?? c.coupangSearchStatus}`,
    });
  }
  return { status, total: score.total };
}

/** The candidate.score step: score and route, then the video's stage follows its candidates. */
export async function scoreCandidateStep(candidateId: number): Promise<void> {
  const [c] = await getDb().select({ videoId: candidates.videoId }).from(candidates).where(eq(candidates.id, candidateId));
  if (!c) return log.info({ candidateId }, 'candidate.score: candidate no longer exists');
  const r = await scoreAndRouteCandidate(candidateId);
  log.info({ candidateId, ...r }, 'candidate scored and routed');
  await syncVideoStage(c.videoId, 'candidate.score');
}

/** The Coupang search state as the history note says it (Korean, like every note the operator reads). */
const COUPANG_SEARCH: Record<string, string> = {
  pending: '검색 전',
  deferred: '검색 대기',
  matched: '매칭됨',
  no_match: '매칭 없음',
  not_configured: '미설정',
  manual: '수동 연결',
  failed: '검색 실패',
};
