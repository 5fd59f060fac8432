import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, isDemo, ref, updatedAt } from './columns';
import { users } from './auth';
import { channels, celebrities } from './channels';
import { videos } from './videos';
import { windows, type WindowVisualEvidence } from './analysis';

export const candidateStatuses = [
  'needs_review',
  'approved',
  'rejected',
  'under_revision',
  'published',
  'filtered_no_coupang',
  'high_ppl_risk',
  'low_score_filtered',
  'archived',
] as const;
export type CandidateStatus = (typeof candidateStatuses)[number];

export type CoupangProduct = { id: string; name: string; price: number | null; image: string | null; url: string };
export type ScoreEvidence = { sentiment: string[]; endorsement: string[]; influencer: string[] };
export type CandidateEvidence = {
  transcriptSpan: { start: number; end: number; text: string }[];
  frameTimestamps: number[];
  ocrLines: string[];
  detections: string[];
  cropPath: string | null;
  framePaths: string[];
  /** When the product is on screen around the clip's window, as read by OCR (absent on older rows). */
  productVisible?: { start: number; end: number } | null;
  /**
   * Where the clip window's visual evidence came from (frames, Gemini watching the YouTube URL) or plainly why there
   * is none (absent on older rows).
   */
  visual?: Pick<WindowVisualEvidence, 'source' | 'note'> | null;
  /** Other windows of the same video that praised the same product. */
  otherWindows: { start: number; end: number; reason: string }[];
};

/**
 * The candidate record of PRODUCT.md, one per (video, product). Source fields used for sorting and searching are
 * copied here (celebrity, channel, title, upload date) so the console lists stay index-only and fast at 100k rows.
 */
export const candidates = pgTable(
  'candidates',
  {
    id: id(),
    videoId: ref()
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    windowId: ref().references(() => windows.id, { onDelete: 'set null' }),
    productKey: text().notNull(),
    // source_info (denormalized for sorting and filtering)
    celebrityId: ref().references(() => celebrities.id, { onDelete: 'set null' }),
    channelId: ref().references(() => channels.id, { onDelete: 'set null' }),
    celebrityName: text().notNull().default(''),
    channelTitle: text().notNull().default(''),
    videoTitle: text().notNull().default(''),
    videoUrl: text().notNull().default(''),
    videoPublishedAt: timestamp({ withTimezone: true }),
    // candidate_info
    productNameAi: text().notNull().default('확인 필요'),
    productNameManual: text(),
    clipStartTime: real().notNull(),
    clipEndTime: real().notNull(),
    categoryPath: text(),
    features: jsonb().$type<string[]>().notNull().default([]),
    scoreTotal: integer().notNull().default(0),
    sentimentScore: real().notNull().default(0),
    endorsementScore: real().notNull().default(0),
    influencerScore: real().notNull().default(0),
    scoreEvidence: jsonb().$type<ScoreEvidence>(),
    hookSentence: text(),
    summaryForCaption: text(),
    targetAudience: jsonb().$type<string[]>().notNull().default([]),
    pricePoint: text({ enum: ['저가', '중가', '프리미엄', '럭셔리'] }),
    endorsementType: text({ enum: ['명시적 추천', '자연스러운 언급', '습관적 사용', '비교 리뷰', '튜토리얼 시연'] }),
    recommendedTitles: jsonb().$type<string[]>().notNull().default([]),
    recommendedHashtags: jsonb().$type<string[]>().notNull().default([]),
    analysisMethod: text({ enum: ['rule', 'llm'] }).notNull().default('rule'),
    // monetization_info
    isCoupangProduct: boolean(),
    coupangUrlAi: text(),
    coupangUrlManual: text(),
    coupangProduct: jsonb().$type<CoupangProduct>(),
    coupangSearchStatus: text({
      enum: ['pending', 'deferred', 'matched', 'no_match', 'not_configured', 'manual', 'failed'],
    })
      .notNull()
      .default('pending'),
    coupangKeyword: text(),
    // status_info
    currentStatus: text({ enum: candidateStatuses }).notNull().default('needs_review'),
    isPpl: boolean().notNull().default(false),
    pplConfidence: real().notNull().default(0),
    pplReasons: jsonb().$type<{ pattern: string; source: string; weight: number }[]>().notNull().default([]),
    // evidence
    evidence: jsonb().$type<CandidateEvidence>(),
    /** Optimistic concurrency: every edit names the version it was based on. */
    version: integer().notNull().default(1),
    reviewedBy: ref().references(() => users.id, { onDelete: 'set null' }),
    reviewedAt: timestamp({ withTimezone: true }),
    publishedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    isDemo: isDemo(),
    /**
     * Every distinct pair of adjacent characters of the searched text, lower-cased (ii_bigrams, migration 0004),
     * kept by Postgres: a 2-character keyword (토너, 크림) is exactly one element, so it is answered and counted from
     * the index below without evaluating the function or ILIKE row by row.
     */
    searchBigrams: text()
      .array()
      .notNull()
      .generatedAlwaysAs(
        sql`ii_bigrams(coalesce(product_name_manual, '') || ' ' || product_name_ai || ' ' || video_title || ' ' || channel_title)`,
      ),
  },
  (t) => [
    uniqueIndex().on(t.videoId, t.productKey),
    // One index per console sort, each led by the status so a tab is a range scan; id breaks ties (keyset).
    index('candidates_status_score').on(t.currentStatus, t.scoreTotal, t.id),
    index('candidates_status_created').on(t.currentStatus, t.createdAt, t.id),
    index('candidates_status_upload').on(t.currentStatus, t.videoPublishedAt, t.id),
    index('candidates_status_channel').on(t.currentStatus, t.channelTitle, t.id),
    index('candidates_status_celebrity').on(t.currentStatus, t.celebrityName, t.id),
    index('candidates_status_title').on(t.currentStatus, t.videoTitle, t.id),
    index('candidates_status_category').on(t.currentStatus, t.categoryPath, t.id),
    index('candidates_status_ppl').on(t.currentStatus, t.pplConfidence, t.id),
    index().on(t.videoId),
    index().on(t.channelId),
    index().on(t.celebrityId),
    index('candidates_search_trgm').using(
      'gin',
      sql`(coalesce(${t.productNameManual}, '') || ' ' || ${t.productNameAi} || ' ' || ${t.videoTitle} || ' ' || ${t.channelTitle}) gin_trgm_ops`,
    ),
    // Two-character keywords (토너, 쿠션) have no trigram: their character pairs are indexed instead, led by the
    // status (btree_gin, migration 0006) so one tab's matches are one index lookup.
    index('candidates_search_status_bigram').using('gin', t.currentStatus, t.searchBigrams),
  ],
);

export const candidateEvents = pgTable(
  'candidate_events',
  {
    id: id(),
    candidateId: ref()
      .notNull()
      .references(() => candidates.id, { onDelete: 'cascade' }),
    userId: ref().references(() => users.id, { onDelete: 'set null' }),
    actor: text().notNull(),
    kind: text({ enum: ['created', 'analyzed', 'transition', 'edit', 'link', 'monetized', 'undo'] }).notNull(),
    fromStatus: text(),
    toStatus: text(),
    diff: jsonb().$type<Record<string, { from: unknown; to: unknown }>>(),
    note: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.candidateId, t.at)],
);

/** An operator correction: what the model said and what the human made of it, with the evidence. */
export const goldenExamples = pgTable(
  'golden_examples',
  {
    id: id(),
    candidateId: ref()
      .notNull()
      .references(() => candidates.id, { onDelete: 'cascade' }),
    field: text().notNull(),
    modelValue: jsonb(),
    humanValue: jsonb(),
    evidence: jsonb(),
    userId: ref().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex().on(t.candidateId, t.field)],
);

export const coupangCache = pgTable('coupang_cache', {
  keyword: text().primaryKey(),
  products: jsonb().$type<unknown[]>().notNull(),
  fetchedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
});
