import { schema } from '@/src/server/db';
import { COUPANG_DISCLOSURE } from '@/src/server/analysis/synthesis-copy';
import { shortLinkUrl } from '@/src/server/link-in-bio/urls';
import { tabOfStatus, type CandidateDto, type CandidateEventDto } from './schemas';

export type CandidateRow = typeof schema.candidates.$inferSelect;
export type CandidateEventRow = typeof schema.candidateEvents.$inferSelect;
export type VideoBits = { youtubeId: string | null; sourceKind: 'youtube' | 'url' | 'upload'; mediaPath: string | null } | null;

const str = (n: number | null) => (n === null ? null : String(n));

import { effectiveProductName } from '@/src/server/product-name';

export { effectiveProductName };

/** The caption always ends with the Coupang Partners disclosure line (it is mandatory in every post). */
export function withDisclosure(caption: string | null): string | null {
  if (caption === null) return null;
  return caption.includes(COUPANG_DISCLOSURE) ? caption : `${caption.trimEnd()}\n\n${COUPANG_DISCLOSURE}`;
}

/** A candidate's public short link (table public_links), when it has one. */
export type PublicLinkBits = { slug: string; clicks: number } | null;

export function toCandidateDto(c: CandidateRow, video: VideoBits, link: PublicLinkBits = null): CandidateDto {
  const ev = c.evidence;
  return {
    id: String(c.id),
    videoId: String(c.videoId),
    version: c.version,
    isDemo: c.isDemo,
    source_info: {
      celebrity_id: str(c.celebrityId),
      celebrity_name: c.celebrityName,
      channel_id: str(c.channelId),
      channel_name: c.channelTitle,
      video_title: c.videoTitle,
      video_url: c.videoUrl,
      upload_date: c.videoPublishedAt?.toISOString() ?? null,
      youtube_id: video?.youtubeId ?? null,
      source_kind: video?.sourceKind ?? null,
      media_path: video?.mediaPath ?? null,
    },
    candidate_info: {
      product_name: effectiveProductName(c),
      product_name_ai: c.productNameAi,
      product_name_manual: c.productNameManual,
      clip_start_time: c.clipStartTime,
      clip_end_time: c.clipEndTime,
      category_path: c.categoryPath,
      features: c.features,
      score_details: {
        total: c.scoreTotal,
        sentiment_score: c.sentimentScore,
        endorsement_score: c.endorsementScore,
        influencer_score: c.influencerScore,
        evidence: c.scoreEvidence ?? null,
      },
      hook_sentence: c.hookSentence,
      summary_for_caption: c.summaryForCaption,
      target_audience: c.targetAudience,
      price_point: c.pricePoint,
      endorsement_type: c.endorsementType,
      recommended_titles: c.recommendedTitles,
      recommended_hashtags: c.recommendedHashtags,
      analysis_method: c.analysisMethod,
    },
    monetization_info: {
      is_coupang_product: c.isCoupangProduct,
      coupang_url: c.coupangUrlManual ?? c.coupangUrlAi,
      coupang_url_ai: c.coupangUrlAi,
      coupang_url_manual: c.coupangUrlManual,
      matched_product: c.coupangProduct ?? null,
      search_status: c.coupangSearchStatus,
      keyword: c.coupangKeyword,
      public_link: link && c.currentStatus === 'published' ? { slug: link.slug, url: shortLinkUrl(link.slug), clicks: link.clicks } : null,
    },
    status_info: {
      current_status: c.currentStatus,
      tab: tabOfStatus(c.currentStatus),
      is_ppl: c.isPpl,
      ppl_confidence: c.pplConfidence,
      ppl_reasons: c.pplReasons,
      reviewed_at: c.reviewedAt?.toISOString() ?? null,
      published_at: c.publishedAt?.toISOString() ?? null,
      created_at: c.createdAt.toISOString(),
      updated_at: c.updatedAt.toISOString(),
    },
    evidence: {
      transcript_span: ev?.transcriptSpan ?? [],
      frame_timestamps: ev?.frameTimestamps ?? [],
      ocr_lines: ev?.ocrLines ?? [],
      detections: ev?.detections ?? [],
      crop_path: ev?.cropPath ?? null,
      frame_paths: ev?.framePaths ?? [],
      product_visible: ev?.productVisible ?? null,
      visual_evidence: ev?.visual ?? null,
      other_windows: ev?.otherWindows ?? [],
    },
  };
}

export function toEventDto(e: CandidateEventRow): CandidateEventDto {
  return {
    id: String(e.id),
    at: e.at.toISOString(),
    actor: e.actor,
    kind: e.kind,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    diff: e.diff,
    note: e.note,
  };
}
