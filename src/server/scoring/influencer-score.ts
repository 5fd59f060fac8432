/**
 * Influencer component (I) from channel statistics, when known.
 * I = 0.25·scale + 0.35·engagement + 0.25·consistency + 0.15·authenticity.
 * - scale: subscriber tiers (SCALE_TIERS); engagement: average views per video ÷ subscribers (ENGAGEMENT_TIERS), or
 *   this video's views ÷ subscribers when the channel view count is unknown;
 * - consistency needs upload dates we are not given here: neutral 0.5;
 * - authenticity: 0.5, +0.2 when videos ÷ subscribers is in [0.001, 0.05], −0.3 when above 0.1.
 * A part whose inputs are missing takes the neutral value NEUTRAL_INFLUENCER (0.5); with no statistics at all I = 0.5.
 */
import { ENGAGEMENT_TIERS, INFLUENCER_WEIGHTS, SCALE_TIERS } from './lexicons';
import type { ComponentScore } from './text-scores';

export const NEUTRAL_INFLUENCER = 0.5;

export type ChannelStats = { subscriberCount?: number | null; videoCount?: number | null; viewCount?: number | null };
export type VideoStats = { viewCount?: number | null; likeCount?: number | null };

const known = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;

export function scoreInfluencer(channel?: ChannelStats | null, video?: VideoStats | null): ComponentScore {
  const subs = channel?.subscriberCount;
  const videos = channel?.videoCount;
  const views = channel?.viewCount;
  const evidence: string[] = [];

  let scale = NEUTRAL_INFLUENCER;
  if (known(subs)) {
    scale = SCALE_TIERS.find(([min]) => subs >= min)?.[1] ?? 0.05;
    evidence.push(`구독자 ${subs.toLocaleString('ko-KR')}명 → 규모 ${scale}`);
  }

  let engagement = NEUTRAL_INFLUENCER;
  let ratio: number | null = null;
  if (known(subs) && subs > 0 && known(views) && known(videos) && videos > 0) ratio = views / videos / subs;
  else if (known(subs) && subs > 0 && known(video?.viewCount)) ratio = video.viewCount / subs;
  if (ratio !== null) {
    const r = ratio;
    engagement = ENGAGEMENT_TIERS.find(([max]) => r <= max)![1];
    evidence.push(`평균 조회수/구독자 ${r.toFixed(3)} → 참여도 ${engagement}`);
  }

  const consistency = NEUTRAL_INFLUENCER;

  let authenticity = NEUTRAL_INFLUENCER;
  if (known(subs) && subs > 0 && known(videos)) {
    const vr = videos / subs;
    authenticity = 0.5 + (vr >= 0.001 && vr <= 0.05 ? 0.2 : 0) - (vr > 0.1 ? 0.3 : 0);
    evidence.push(`영상 수/구독자 ${vr.toFixed(4)} → 진정성 ${authenticity.toFixed(1)}`);
  }

  if (evidence.length === 0) evidence.push(`채널 통계 없음: 중립값 ${NEUTRAL_INFLUENCER}`);
  const w = INFLUENCER_WEIGHTS;
  const score = w.scale * scale + w.engagement * engagement + w.consistency * consistency + w.authenticity * authenticity;
  return { score: Math.min(1, Math.max(0, score)), evidence };
}
