import { z } from 'zod';
import { videoStages } from '@/src/server/db/schema/videos';

/** Contracts of the videos API, shared by routes, pages and tests. No server imports. */
export const submitVideoInput = z.object({
  url: z
    .string({ message: 'url is required' })
    .trim()
    .min(1, 'url is required')
    .max(2000, 'url is too long')
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'url must be an http(s) URL'),
});

export const listVideosQuery = z.object({
  channelId: z.string().regex(/^\d{1,15}$/, 'channelId must be a numeric id').optional(),
  stage: z.enum(videoStages).optional(),
  cursor: z.string().regex(/^\d{1,15}$/, 'cursor is not valid').optional(),
  limit: z.coerce.number().int().min(1).default(50).transform((n) => Math.min(n, 100)),
  /** counts=1 adds `counts` (how many videos match, and how many of them failed) to the response. */
  counts: z.enum(['0', '1']).optional(),
});

export type VideoDto = {
  id: string;
  youtubeId: string | null;
  sourceUrl: string | null;
  sourceKind: 'youtube' | 'url' | 'upload';
  title: string;
  channelId: string | null;
  celebrityId: string | null;
  publishedAt: string | null;
  durationSeconds: number | null;
  stage: (typeof videoStages)[number];
  skipReason: string | null;
  /** The rule that skipped it (shorts_link, shorts_duration, shorts_hashtag, upcoming_live, live). */
  skipRule: string | null;
  error: { code: string; message: string; stage: string | null } | null;
  progress: number;
  timings: Record<string, number>;
  createdAt: string;
  updatedAt: string;
  attempts: number;
  isDemo: boolean;
  /** In lists and the video's own page: its candidates, and the 후보 tab that holds the first of them. */
  candidates?: { total: number; tab: string | null };
};
