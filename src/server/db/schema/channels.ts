import { index, integer, jsonb, pgTable, real, text, timestamp, bigint } from 'drizzle-orm/pg-core';
import { createdAt, id, isDemo, ref, updatedAt } from './columns';

export const celebrities = pgTable('celebrities', {
  id: id(),
  name: text().notNull().unique(),
  aliases: text().array().notNull().default([]),
  groupName: text(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  isDemo: isDemo(),
});

/** The channel's latest backfill request and how it went (shown in the channel list). */
export type BackfillState = {
  /** The range as requested: inclusive days in the app's time zone (TZ) … */
  fromDay: string;
  toDay: string;
  /** … and as instants: [from, to). */
  from: string;
  to: string;
  state: 'queued' | 'running' | 'waiting_quota' | 'done' | 'failed';
  requestedAt: string;
  finishedAt: string | null;
  /** Uploads published in the range, and how many of them were new to us. */
  found: number | null;
  stored: number | null;
  /** When a backfill stopped by the daily YouTube quota continues. */
  resumesAt: string | null;
  error: string | null;
};

export const channelKinds = ['celebrity', 'media'] as const;
export const channelStatuses = ['active', 'candidate', 'excluded'] as const;

export const channels = pgTable(
  'channels',
  {
    id: id(),
    youtubeChannelId: text().notNull().unique(),
    handle: text(),
    title: text().notNull().default(''),
    description: text().notNull().default(''),
    thumbnailUrl: text(),
    kind: text({ enum: channelKinds }).notNull(),
    celebrityId: ref().references(() => celebrities.id, { onDelete: 'set null' }),
    status: text({ enum: channelStatuses }).notNull().default('active'),
    subscriberCount: bigint({ mode: 'number' }),
    videoCount: integer(),
    viewCount: bigint({ mode: 'number' }),
    feedLastPolledAt: timestamp({ withTimezone: true }),
    feedLastSuccessAt: timestamp({ withTimezone: true }),
    feedLastErrorAt: timestamp({ withTimezone: true }),
    feedLastError: text(),
    feedConsecutiveFailures: integer().notNull().default(0),
    /** Which feed answered last: the long-form-only playlist feed or the whole channel feed. */
    feedSource: text({ enum: ['longform', 'channel'] }),
    discoveryQuery: text(),
    discoveryScore: real(),
    discoverySignals: jsonb().$type<Record<string, unknown>>(),
    backfill: jsonb().$type<BackfillState>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    isDemo: isDemo(),
  },
  (t) => [index().on(t.status), index().on(t.celebrityId)],
);
