import { z } from 'zod';

/** Contracts of the Reel draft API (pure zod, no server imports: the console reads them too). */

export const reelBlocker = z.object({
  code: z.enum(['not_approved', 'no_media']),
  message: z.string(),
});
export type ReelBlocker = z.infer<typeof reelBlocker>;

/** `GET /api/v1/candidates/:id/reel` (and the `reel` of POST's answer). */
export const reelDto = z.object({
  /** null: no draft was ever asked for. */
  status: z.enum(['queued', 'rendering', 'ready', 'failed']).nullable(),
  /** The MP4 behind sign-in (/api/media/…), when ready. */
  url: z.string().nullable(),
  download_url: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  durationSec: z.number().nullable(),
  /** The candidate version the draft was asked for. */
  version: z.number().int().nullable(),
  /** The draft shows the candidate as it is now (false after an edit of the name, the clip bounds …: render again). */
  current: z.boolean(),
  error: z.string().optional(),
  /** Why no draft can be rendered now (not approved, no stored media), or null. */
  blocked: reelBlocker.nullable(),
});
export type ReelDto = z.infer<typeof reelDto>;
