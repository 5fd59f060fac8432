import { index, integer, jsonb, pgTable, real, text, uniqueIndex, boolean } from 'drizzle-orm/pg-core';
import { createdAt, id, ref, updatedAt } from './columns';
import { videos } from './videos';

export type Segment = { start: number; end: number; text: string };

export const transcripts = pgTable('transcripts', {
  id: id(),
  videoId: ref()
    .notNull()
    .unique()
    .references(() => videos.id, { onDelete: 'cascade' }),
  source: text({ enum: ['captions', 'youtube_captions', 'whisper', 'gemini_audio', 'gemini_url'] }).notNull(),
  language: text().notNull().default('ko'),
  segments: jsonb().$type<Segment[]>().notNull(),
  createdAt: createdAt(),
});

/**
 * Where a window's visual evidence came from: `frames` (frames of the media file: OCR + detector), `gemini_video`
 * (no media file: Gemini watched the window's interval of the YouTube URL) or `none`, with a sentence for the operator
 * saying what was looked at or why nothing could be. `interval` is the span Gemini watched (a window moved by a later
 * pass 1 is asked again); `products` are the products Gemini saw, with where they appear on screen.
 */
export type WindowVisualEvidence = {
  source: 'frames' | 'gemini_video' | 'none';
  note: string;
  interval?: { start: number; end: number };
  products?: { name: string; brand: string | null; where: string }[];
};

/** Recommendation windows found by pass 1. `ordinal` orders them within a video and is their natural key. */
export const windows = pgTable(
  'windows',
  {
    id: id(),
    videoId: ref()
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    ordinal: integer().notNull(),
    start: real().notNull(),
    end: real().notNull(),
    reason: text().notNull().default(''),
    confidence: real().notNull().default(0),
    signals: jsonb().$type<string[]>().notNull().default([]),
    method: text({ enum: ['rule', 'llm'] }).notNull(),
    /** When the product is on screen around this window (window.visual measures it); the clip covers it too. */
    visibleStart: real(),
    visibleEnd: real(),
    /** What visual evidence this window has and where it came from, or plainly why it has none (window.visual). */
    visualEvidence: jsonb().$type<WindowVisualEvidence>(),
    /** Progress of this window's chain: visual → synthesize → (candidate) → done. */
    stage: text({ enum: ['visual', 'synthesize', 'done', 'failed'] }).notNull().default('visual'),
    error: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex().on(t.videoId, t.ordinal)],
);

export type OcrLine = { text: string; confidence: number; engine: string; box?: { x: number; y: number; width: number; height: number } };
export type Detection = { label: string; score: number; box: { x: number; y: number; width: number; height: number } };

/** One analysed frame inside a window: what was read and detected, and the saved images. */
export const visualFindings = pgTable(
  'visual_findings',
  {
    id: id(),
    windowId: ref()
      .notNull()
      .references(() => windows.id, { onDelete: 'cascade' }),
    videoId: ref()
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    t: real().notNull(),
    sharpness: real(),
    framePath: text(),
    cropPath: text(),
    isBest: boolean().notNull().default(false),
    ocrLines: jsonb().$type<OcrLine[]>().notNull().default([]),
    detections: jsonb().$type<Detection[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.windowId, t.t), index().on(t.videoId)],
);
