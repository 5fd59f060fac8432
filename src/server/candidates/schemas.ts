import { z } from 'zod';
import { candidateStatuses, type CandidateStatus, type CoupangProduct } from '@/src/server/db/schema/candidates';
import { bulkTargets } from './transitions';

/** Contracts of the candidates API, shared by routes, pages, scripts and tests. No server imports. */

/** Console tabs → the statuses each shows. `rejected` holds rejected and archived candidates. */
export const candidateTabs = {
  needs_review: ['needs_review'],
  filtered_no_coupang: ['filtered_no_coupang'],
  high_ppl_risk: ['high_ppl_risk'],
  low_score_filtered: ['low_score_filtered'],
  under_revision: ['under_revision'],
  approved: ['approved'],
  published: ['published'],
  rejected: ['rejected', 'archived'],
} as const satisfies Record<string, readonly CandidateStatus[]>;
export type CandidateTab = keyof typeof candidateTabs;
export const candidateTabNames = Object.keys(candidateTabs) as CandidateTab[];

export function tabOfStatus(status: CandidateStatus): CandidateTab {
  for (const t of candidateTabNames) if ((candidateTabs[t] as readonly string[]).includes(status)) return t;
  return 'needs_review';
}

export const candidateSorts = ['score', 'created', 'upload_date', 'channel', 'celebrity', 'video_title', 'category', 'ppl'] as const;
export type CandidateSort = (typeof candidateSorts)[number];

const idString = (name: string) => z.string().regex(/^\d{1,18}$/, `${name} must be a numeric id`);
const emptyAsUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

export const listCandidatesQuery = z.object({
  tab: z.preprocess(emptyAsUndefined, z.enum(candidateTabNames as [CandidateTab, ...CandidateTab[]]).default('needs_review')),
  sort: z.preprocess(emptyAsUndefined, z.enum(candidateSorts).default('score')),
  order: z.preprocess(emptyAsUndefined, z.enum(['asc', 'desc']).default('desc')),
  q: z.preprocess(emptyAsUndefined, z.string().trim().max(200, 'q is too long').optional()),
  category: z.preprocess(emptyAsUndefined, z.string().trim().max(200).optional()),
  celebrityId: z.preprocess(emptyAsUndefined, idString('celebrityId').optional()),
  channelId: z.preprocess(emptyAsUndefined, idString('channelId').optional()),
  videoId: z.preprocess(emptyAsUndefined, idString('videoId').optional()),
  scoreMin: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(100).optional()),
  scoreMax: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(100).optional()),
  ppl: z.preprocess(emptyAsUndefined, z.enum(['yes', 'no']).optional()),
  method: z.preprocess(emptyAsUndefined, z.enum(['rule', 'llm']).optional()),
  demo: z.preprocess(emptyAsUndefined, z.enum(['yes', 'no']).optional()),
  cursor: z.preprocess(emptyAsUndefined, z.string().max(500).optional()),
  limit: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int('limit must be an integer').default(50).transform((n) => Math.max(1, Math.min(n, 100))),
  ),
  /** counts=1 adds the per-tab counts (with the same filters) to the response. */
  counts: z.preprocess(emptyAsUndefined, z.enum(['0', '1', 'true', 'false']).optional()),
});
export type ListCandidatesQuery = z.infer<typeof listCandidatesQuery>;
export type CandidateFilters = Pick<
  ListCandidatesQuery,
  'q' | 'category' | 'celebrityId' | 'channelId' | 'videoId' | 'scoreMin' | 'scoreMax' | 'ppl' | 'method' | 'demo'
>;

const text = (max: number) => z.string().max(max, `at most ${max} characters`);
// Kept to the millisecond: the columns are float4 (real), which refuse e.g. 1e-131 (a 500 from the update).
const seconds = z
  .number({ message: '초 단위 숫자여야 합니다' })
  .finite()
  .min(0, '0초 이상이어야 합니다')
  .max(24 * 3600, '24시간(86400초) 이내여야 합니다')
  .transform((n) => Math.round(n * 1000) / 1000);
/** The candidate's version: an int4 column, so at most 2^31 − 1 (a larger one reached Postgres as out of range). */
const version = (message?: string) => z.number(message ? { message } : undefined).int().min(1).max(2_147_483_647);

/** Fields an operator may edit (snake_case, the record's names). */
export const candidateEditFields = z
  .object({
    product_name_manual: text(200).trim().nullable(),
    category_path: text(200).trim().nullable(),
    clip_start_time: seconds,
    clip_end_time: seconds,
    features: z.array(text(300)).max(30),
    hook_sentence: text(500).nullable(),
    summary_for_caption: text(3000).nullable(),
    target_audience: z.array(text(100)).max(20),
    price_point: z.enum(['저가', '중가', '프리미엄', '럭셔리']).nullable(),
    endorsement_type: z.enum(['명시적 추천', '자연스러운 언급', '습관적 사용', '비교 리뷰', '튜토리얼 시연']).nullable(),
    recommended_titles: z.array(text(200)).max(10),
    recommended_hashtags: z.array(text(100)).max(40),
    is_ppl: z.boolean(),
  })
  .partial()
  .strict();
export type CandidateEdit = z.infer<typeof candidateEditFields>;

export const patchCandidateInput = candidateEditFields.extend({
  version: version('version is required (the version the edit is based on)'),
  note: text(1000).optional(),
});

export const transitionCandidateInput = z.object({
  to: z.enum(candidateStatuses, { message: `to must be one of ${candidateStatuses.join(', ')}` }),
  note: text(1000).trim().optional(),
  version: version().optional(),
});

export const linkCandidateInput = z.object({
  url: z.string({ message: 'url is required' }).trim().min(1, 'url is required').max(2000, 'url is too long'),
  version: version().optional(),
});

/** At most this many candidates in one bulk action (a selection of the whole filter is cut here, and says so). */
export const BULK_MAX = 1000;

export const bulkTransitionInput = z.object({
  ids: z.array(idString('id')).min(1, 'select at least one candidate').max(BULK_MAX, `at most ${BULK_MAX} candidates at once`),
  to: z.enum(bulkTargets),
  note: text(1000).trim().optional(),
});

/** The ids of every candidate of a view (tab + filters), for a bulk action on the whole filtered result. */
export type CandidateSelection = { ids: string[]; total: number; truncated: boolean };

/** Tabs whose candidates have had an operator's decision: "n of N reviewed". */
export const reviewedTabs = ['under_revision', 'approved', 'published', 'rejected'] as const satisfies readonly CandidateTab[];

/** Review progress of a view from its tab counts; `capped` when some count is only a lower bound (1,000+). */
export function reviewProgress(counts: Record<CandidateTab, number>, cappedTabs: readonly CandidateTab[] = []) {
  const total = candidateTabNames.reduce((sum, t) => sum + (counts[t] ?? 0), 0);
  const reviewed = reviewedTabs.reduce((sum, t) => sum + (counts[t] ?? 0), 0);
  return { reviewed, total, capped: cappedTabs.length > 0 };
}

export type CandidateEventDto = {
  id: string;
  at: string;
  actor: string;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  diff: Record<string, { from: unknown; to: unknown; derived?: boolean }> | null;
  note: string | null;
};

export type CandidateDto = {
  id: string;
  videoId: string;
  version: number;
  isDemo: boolean;
  source_info: {
    celebrity_id: string | null;
    celebrity_name: string;
    channel_id: string | null;
    channel_name: string;
    video_title: string;
    video_url: string;
    upload_date: string | null;
    youtube_id: string | null;
    source_kind: 'youtube' | 'url' | 'upload' | null;
    /** Stored media path (relative), for playing uploaded/URL videos through /api/media. */
    media_path: string | null;
  };
  candidate_info: {
    product_name: string;
    product_name_ai: string;
    product_name_manual: string | null;
    clip_start_time: number;
    clip_end_time: number;
    category_path: string | null;
    features: string[];
    score_details: {
      total: number;
      sentiment_score: number;
      endorsement_score: number;
      influencer_score: number;
      evidence: { sentiment: string[]; endorsement: string[]; influencer: string[] } | null;
    };
    hook_sentence: string | null;
    summary_for_caption: string | null;
    target_audience: string[];
    price_point: string | null;
    endorsement_type: string | null;
    recommended_titles: string[];
    recommended_hashtags: string[];
    analysis_method: 'rule' | 'llm';
  };
  monetization_info: {
    is_coupang_product: boolean | null;
    coupang_url: string | null;
    coupang_url_ai: string | null;
    coupang_url_manual: string | null;
    matched_product: CoupangProduct | null;
    search_status: string;
    keyword: string | null;
    /** The public short link of a published candidate (link-in-bio page), for the caption; null otherwise. */
    public_link?: { slug: string; url: string; clicks: number } | null;
  };
  status_info: {
    current_status: CandidateStatus;
    tab: CandidateTab;
    is_ppl: boolean;
    ppl_confidence: number;
    ppl_reasons: { pattern: string; source: string; weight: number }[];
    reviewed_at: string | null;
    published_at: string | null;
    created_at: string;
    updated_at: string;
  };
  evidence: {
    transcript_span: { start: number; end: number; text: string }[];
    frame_timestamps: number[];
    ocr_lines: string[];
    detections: string[];
    crop_path: string | null;
    frame_paths: string[];
    product_visible: { start: number; end: number } | null;
    /** Where the visual evidence came from, or why there is none (null on rows analysed before this was recorded). */
    visual_evidence: { source: 'frames' | 'gemini_video' | 'none'; note: string } | null;
    other_windows: { start: number; end: number; reason: string }[];
  };
};

/** With filters, a tab is counted up to this many candidates; past it the count is shown as "1,000+". */
export const CANDIDATE_COUNT_CAP = 1000;

export type CandidateListResponse = {
  items: CandidateDto[];
  nextCursor: string | null;
  /** Per tab (counts=1): exact, except the tabs in countsCapped, which hold CANDIDATE_COUNT_CAP and have more. */
  counts?: Record<CandidateTab, number>;
  countsCapped?: CandidateTab[];
};
