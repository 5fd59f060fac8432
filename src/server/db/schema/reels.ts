import { index, integer, pgTable, real, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, ref, updatedAt } from './columns';
import { users } from './auth';
import { candidates } from './candidates';

export const reelStatuses = ['queued', 'rendering', 'ready', 'failed'] as const;
export type ReelStatus = (typeof reelStatuses)[number];

/**
 * The vertical Reel draft of an approved candidate (issue 16): one row per candidate holding the latest draft's
 * state. `version` is the candidate version the draft was asked for; `inputKey` is the hash of what the draft shows
 * (product name, celebrity, clip bounds, media, recipe), so an edit that changes none of it keeps the draft current.
 * The file lives in its video's media folder (`reels/c<candidate id>-v<version>.mp4`), one file per candidate version.
 */
export const candidateReels = pgTable(
  'candidate_reels',
  {
    candidateId: ref()
      .primaryKey()
      .references(() => candidates.id, { onDelete: 'cascade' }),
    status: text({ enum: reelStatuses }).notNull().default('queued'),
    version: integer().notNull(),
    inputKey: text().notNull(),
    /** Relative to the media data dir; set once the file is complete. */
    path: text(),
    width: integer(),
    height: integer(),
    durationSec: real(),
    error: text(),
    requestedBy: ref().references(() => users.id, { onDelete: 'set null' }),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index().on(t.status)],
);
