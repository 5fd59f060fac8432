import { z } from 'zod';
import type { BackfillState } from '@/src/server/db/schema/channels';

/** Contracts of the celebrities/channels/feeds API, shared by routes, pages and tests. No server imports. */
export const channelKinds = ['celebrity', 'media'] as const;
export const channelStatuses = ['active', 'candidate', 'excluded'] as const;

/** At most 15 digits: a safe integer in JS and in bigint range (a longer "id" reached Postgres as out of range: a 500). */
const numericId = (field: string) => z.string({ message: `${field} must be an id` }).regex(/^\d{1,15}$/, `${field} must be a numeric id`);

export const celebrityInput = z.object({
  name: z.string({ message: 'name is required' }).trim().min(1, 'name is required').max(100, 'name is too long'),
  aliases: z
    .array(z.string().trim().max(100, 'an alias is too long'))
    .max(50, 'at most 50 aliases')
    .default([])
    .transform((a) => a.filter((s) => s !== '')),
});
export const celebrityPatch = celebrityInput.partial();

export const createChannelInput = z.object({
  input: z.string({ message: 'input is required: a channel URL, @handle or UC… id' }).trim().min(1, 'input is required: a channel URL, @handle or UC… id').max(500),
  kind: z.enum(channelKinds, { message: 'kind must be celebrity or media' }),
  celebrityId: numericId('celebrityId').nullish(),
});

export const updateChannelInput = z
  .object({
    status: z.enum(channelStatuses, { message: 'status must be active, candidate or excluded' }).optional(),
    kind: z.enum(channelKinds, { message: 'kind must be celebrity or media' }).optional(),
    celebrityId: numericId('celebrityId').nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change: send status, kind or celebrityId');

export const listChannelsQuery = z.object({
  status: z.enum(channelStatuses).optional(),
  kind: z.enum(channelKinds).optional(),
  celebrityId: numericId('celebrityId').optional(),
  cursor: z.string().regex(/^\d{1,15}$/, 'cursor is not valid').optional(),
  limit: z.coerce.number().int().min(1).default(50).transform((n) => Math.min(n, 100)),
});

export const listCelebritiesQuery = z.object({
  cursor: z.string().regex(/^\d{1,15}$/, 'cursor is not valid').optional(),
  limit: z.coerce.number().int().min(1).default(100).transform((n) => Math.min(n, 100)),
});

/** A day (YYYY-MM-DD, in the app's time zone) or an ISO date-time. */
const dateInput = (field: string) =>
  z
    .string({ message: `${field} is required (YYYY-MM-DD)` })
    .trim()
    .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) || (/^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))), `${field} must be a date (YYYY-MM-DD) or an ISO date-time`)
    .refine((v) => !/^\d{4}-\d{2}-\d{2}$/.test(v) || !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), `${field} is not a real date`);

export const backfillInput = z.object({ from: dateInput('from'), to: dateInput('to') });

export const discoverInput = z.object({
  query: z.string({ message: 'query is required' }).trim().min(1, 'query is required').max(100, 'query is too long'),
  from: dateInput('from').optional(),
  to: dateInput('to').optional(),
});

export const pollFeedsInput = z.object({ channelId: numericId('channelId').optional() }).default({});

export type CelebrityDto = { id: string; name: string; aliases: string[]; createdAt: string; isDemo: boolean };

export type ChannelDto = {
  id: string;
  youtubeChannelId: string;
  handle: string | null;
  title: string;
  kind: (typeof channelKinds)[number];
  celebrityId: string | null;
  status: (typeof channelStatuses)[number];
  feed: {
    lastSuccessAt: string | null;
    lastErrorAt: string | null;
    lastError: string | null;
    consecutiveFailures: number;
    lastPolledAt: string | null;
    source: 'longform' | 'channel' | null;
  };
  description: string;
  thumbnailUrl: string | null;
  subscriberCount: number | null;
  videoCount: number | null;
  discovery: { query: string | null; score: number | null; signals: Record<string, unknown> | null } | null;
  backfill: BackfillState | null;
  url: string;
  createdAt: string;
  isDemo: boolean;
};
