import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, bigint, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, isDemo, ref, updatedAt } from './columns';
import { celebrities, channels } from './channels';

export const videoStages = [
  'queued',
  'media',
  'transcript',
  'windows',
  'visual',
  'synthesize',
  'monetize',
  'score',
  'done',
  'failed',
  'skipped',
] as const;
export type VideoStage = (typeof videoStages)[number];

export const videoErrorCodes = [
  'media_unavailable',
  'invalid_media',
  'upstream_failed',
  'not_configured',
  'budget_exhausted',
  'internal',
] as const;
export type VideoErrorCode = (typeof videoErrorCodes)[number];

export const videos = pgTable(
  'videos',
  {
    id: id(),
    /** How the video entered: a channel feed/backfill, a submitted URL, or an uploaded file. */
    sourceKind: text({ enum: ['youtube', 'url', 'upload'] }).notNull(),
    youtubeId: text().unique(),
    sourceUrl: text(),
    /** SHA-256 of the uploaded file together with its captions (dedup key for uploads). */
    uploadHash: text().unique(),
    channelId: ref().references(() => channels.id, { onDelete: 'set null' }),
    celebrityId: ref().references(() => celebrities.id, { onDelete: 'set null' }),
    title: text().notNull().default(''),
    description: text().notNull().default(''),
    publishedAt: timestamp({ withTimezone: true }),
    durationSeconds: real(),
    thumbnailUrl: text(),
    viewCount: bigint({ mode: 'number' }),
    likeCount: bigint({ mode: 'number' }),
    isShort: boolean().notNull().default(false),
    skipRule: text(),
    skipReason: text(),
    stage: text({ enum: videoStages }).notNull().default('queued'),
    progress: real().notNull().default(0),
    errorCode: text({ enum: videoErrorCodes }),
    errorMessage: text(),
    /** The stage that failed, so a retry resumes there. */
    failedStage: text({ enum: videoStages }),
    /** stage → seconds spent. */
    timings: jsonb().$type<Record<string, number>>().notNull().default({}),
    stageStartedAt: timestamp({ withTimezone: true }),
    mediaPath: text(),
    captionsPath: text(),
    attempts: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    isDemo: isDemo(),
  },
  (t) => [
    uniqueIndex('videos_source_url_unique').on(t.sourceUrl),
    index().on(t.stage, t.id),
    index().on(t.channelId, t.id),
    index().on(t.createdAt),
  ],
);
