/**
 * YouTube Data API v3 client (googleapis), built from config: `YOUTUBE_API_KEY`, and `GOOGLE_API_ROOT_URL` when set
 * (tests and staging point it at another server). Every call goes through `callExternal` (timeout, retry on 5xx/429,
 * breaker, one `api_usage` row per attempt with its quota units) after the quota ledger said it fits.
 * Responses are validated with zod; only the fields the app uses are read.
 *
 * Errors: no key → not_configured; quota refused by us or by YouTube → budget_exhausted; key refused → not_configured
 * naming the variable; unknown playlist → not_found; other failures → upstream_failed.
 */
import { google, type youtube_v3 } from 'googleapis';
import { z } from 'zod';
import { getConfig } from '@/src/server/config';
import { DomainError, errorMessage } from '@/src/server/errors';
import { IntegrationError, isRetryableStatus, parseRetryAfter } from '@/src/server/integrations/errors';
import { callExternal } from '@/src/server/integrations/policy';
import { assertYoutubeQuota, YOUTUBE_UNITS } from '@/src/server/ops/quota';

export const BATCH = 50;

export function youtubeDataConfigured(): boolean {
  return !!getConfig().YOUTUBE_API_KEY;
}

const g = globalThis as unknown as { __influenceYoutube?: { key: string; root: string; api: youtube_v3.Youtube } };

function api(): youtube_v3.Youtube {
  const config = getConfig();
  const key = config.YOUTUBE_API_KEY;
  if (!key) {
    throw new DomainError('not_configured', 'YouTube Data API is not configured: set YOUTUBE_API_KEY.');
  }
  const root = config.GOOGLE_API_ROOT_URL ?? '';
  if (!g.__influenceYoutube || g.__influenceYoutube.key !== key || g.__influenceYoutube.root !== root) {
    const options: youtube_v3.Options = { version: 'v3', auth: key };
    if (root) options.rootUrl = root.replace(/\/?$/, '/');
    g.__influenceYoutube = { key, root, api: google.youtube(options) };
  }
  return g.__influenceYoutube.api;
}

type GoogleErrorBody = { error?: { code?: number; message?: string; errors?: { reason?: string }[]; details?: { reason?: string }[] } };

function toIntegrationError(operation: string, err: unknown): unknown {
  if (err instanceof IntegrationError || err instanceof DomainError) return err;
  const e = err as { response?: { status?: number; data?: unknown; headers?: Record<string, string> | Headers }; code?: string };
  const status = e.response?.status;
  if (!status) return err; // network errors: the policy layer recognises and retries them
  const body = (e.response?.data ?? {}) as GoogleErrorBody;
  const reason = body.error?.errors?.[0]?.reason ?? body.error?.details?.[0]?.reason ?? `http_${status}`;
  const message = body.error?.message ?? `HTTP ${status}`;
  // gaxios 7 hands over a fetch Headers object (older versions a plain record)
  const headers = e.response?.headers;
  const retryAfter = headers && typeof (headers as Headers).get === 'function' ? (headers as Headers).get('retry-after') : (headers as Record<string, string> | undefined)?.['retry-after'];
  const quota = status === 403 && /quotaExceeded|dailyLimitExceeded|rateLimitExceeded/i.test(reason);
  return new IntegrationError(
    {
      provider: 'youtube',
      operation,
      status,
      retryable: isRetryableStatus(status) || (status === 403 && reason === 'rateLimitExceeded'),
      retryAfterMs: parseRetryAfter(retryAfter),
      code: quota && reason !== 'rateLimitExceeded' ? 'quotaExceeded' : reason,
      cause: err,
    },
    `YouTube ${operation} failed with HTTP ${status} (${reason}): ${message.slice(0, 200)}`,
  );
}

function toDomainError(operation: string, err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  if (err instanceof IntegrationError) {
    if (err.code === 'quotaExceeded') {
      return new DomainError('budget_exhausted', `YouTube refused ${operation}: the daily Data API quota is exhausted (resets at midnight Pacific time).`);
    }
    if (err.status === 400 && /keyInvalid|API_KEY_INVALID|badRequest/.test(err.code ?? '') && /key/i.test(err.message)) {
      return new DomainError('not_configured', 'YouTube rejected YOUTUBE_API_KEY (API key not valid): check the key.');
    }
    if (err.status === 404) return new DomainError('not_found', `YouTube ${operation}: ${err.message}`);
    if (err.status === 403) return new DomainError('upstream_failed', `YouTube refused ${operation}: ${err.message}`);
  }
  return new DomainError('upstream_failed', `YouTube Data API ${operation} failed: ${errorMessage(err)}`);
}

/** The one private request path: quota check, policy (retry/timeout/breaker/usage row), zod validation. */
async function request<S extends z.ZodType>(
  operation: string,
  units: number,
  call: (yt: youtube_v3.Youtube, opts: { signal: AbortSignal; retry: false }) => Promise<{ data: unknown }>,
  schema: S,
): Promise<z.infer<S>> {
  const yt = api();
  await assertYoutubeQuota(operation, units);
  let data: unknown;
  try {
    data = await callExternal({ provider: 'youtube', operation, units }, async (signal) => {
      try {
        return (await call(yt, { signal, retry: false })).data;
      } catch (err) {
        throw toIntegrationError(operation, err);
      }
    });
  } catch (err) {
    throw toDomainError(operation, err);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError('upstream_failed', `YouTube ${operation} returned an unexpected body (${issue?.path.join('.')}: ${issue?.message})`);
  }
  return parsed.data;
}

const count = z.union([z.string(), z.number()]).optional().transform((v) => (v === undefined || v === '' ? null : Number(v)));
const thumbnails = z.record(z.string(), z.object({ url: z.string() }).passthrough()).optional();

const channelSchema = z.object({
  id: z.string(),
  snippet: z
    .object({
      title: z.string().default(''),
      description: z.string().default(''),
      customUrl: z.string().optional(),
      publishedAt: z.string().optional(),
      country: z.string().optional(),
      thumbnails,
    })
    .passthrough()
    .optional(),
  contentDetails: z.object({ relatedPlaylists: z.object({ uploads: z.string().optional() }).passthrough().optional() }).passthrough().optional(),
  statistics: z
    .object({ subscriberCount: count, videoCount: count, viewCount: count, hiddenSubscriberCount: z.boolean().optional() })
    .passthrough()
    .optional(),
});
const channelList = z.object({ items: z.array(channelSchema).default([]) }).passthrough();

export type YoutubeChannel = {
  id: string;
  title: string;
  description: string;
  handle: string | null;
  publishedAt: Date | null;
  country: string | null;
  thumbnailUrl: string | null;
  uploadsPlaylistId: string | null;
  subscriberCount: number | null;
  videoCount: number | null;
  viewCount: number | null;
};

function toChannel(c: z.infer<typeof channelSchema>): YoutubeChannel {
  const custom = c.snippet?.customUrl?.trim();
  const published = c.snippet?.publishedAt ? new Date(c.snippet.publishedAt) : null;
  return {
    id: c.id,
    title: c.snippet?.title ?? '',
    description: c.snippet?.description ?? '',
    handle: custom ? (custom.startsWith('@') ? custom : `@${custom}`) : null,
    publishedAt: published && !Number.isNaN(published.getTime()) ? published : null,
    country: c.snippet?.country ?? null,
    thumbnailUrl: c.snippet?.thumbnails?.high?.url ?? c.snippet?.thumbnails?.default?.url ?? null,
    uploadsPlaylistId: c.contentDetails?.relatedPlaylists?.uploads ?? null,
    subscriberCount: c.statistics?.hiddenSubscriberCount ? null : (c.statistics?.subscriberCount ?? null),
    videoCount: c.statistics?.videoCount ?? null,
    viewCount: c.statistics?.viewCount ?? null,
  };
}

const CHANNEL_PARTS = ['snippet', 'contentDetails', 'statistics'];

/** channels.list by ids, in batches of 50 (1 unit each). Unknown ids are simply absent. */
export async function getChannelsByIds(ids: string[]): Promise<YoutubeChannel[]> {
  const out: YoutubeChannel[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const res = await request('channels.list', YOUTUBE_UNITS.list, (yt, o) => yt.channels.list({ part: CHANNEL_PARTS, id: batch, maxResults: BATCH }, o), channelList);
    out.push(...res.items.map(toChannel));
  }
  return out;
}

/** channels.list forHandle (1 unit); null when no channel has the handle. */
export async function getChannelByHandle(handle: string): Promise<YoutubeChannel | null> {
  const res = await request('channels.list', YOUTUBE_UNITS.list, (yt, o) => yt.channels.list({ part: CHANNEL_PARTS, forHandle: handle }, o), channelList);
  return res.items[0] ? toChannel(res.items[0]) : null;
}

const playlistPage = z
  .object({
    nextPageToken: z.string().optional(),
    items: z
      .array(
        z.object({
          snippet: z.object({ title: z.string().default(''), publishedAt: z.string().optional(), resourceId: z.object({ videoId: z.string() }).passthrough().optional() }).passthrough().optional(),
          contentDetails: z.object({ videoId: z.string(), videoPublishedAt: z.string().optional() }).passthrough().optional(),
        }),
      )
      .default([]),
  })
  .passthrough();

export type PlaylistItem = { videoId: string; title: string; publishedAt: Date | null };

/** One page (≤ 50) of a playlist, newest first for uploads playlists (1 unit). */
export async function listPlaylistPage(playlistId: string, pageToken?: string): Promise<{ items: PlaylistItem[]; nextPageToken: string | null }> {
  const res = await request(
    'playlistItems.list',
    YOUTUBE_UNITS.list,
    (yt, o) => yt.playlistItems.list({ part: ['snippet', 'contentDetails'], playlistId, maxResults: BATCH, pageToken }, o),
    playlistPage,
  );
  const items: PlaylistItem[] = [];
  for (const it of res.items) {
    const videoId = it.contentDetails?.videoId ?? it.snippet?.resourceId?.videoId;
    if (!videoId) continue;
    // Private/deleted videos have no videoPublishedAt; they are not collectable.
    const published = it.contentDetails?.videoPublishedAt;
    items.push({ videoId, title: it.snippet?.title ?? '', publishedAt: published ? new Date(published) : null });
  }
  return { items, nextPageToken: res.nextPageToken ?? null };
}

const videoList = z
  .object({
    items: z
      .array(
        z.object({
          id: z.string(),
          snippet: z
            .object({
              publishedAt: z.string().optional(),
              channelId: z.string().optional(),
              title: z.string().default(''),
              description: z.string().default(''),
              liveBroadcastContent: z.string().optional(),
              thumbnails,
            })
            .passthrough()
            .optional(),
          contentDetails: z.object({ duration: z.string().optional() }).passthrough().optional(),
          statistics: z.object({ viewCount: count, likeCount: count }).passthrough().optional(),
        }),
      )
      .default([]),
  })
  .passthrough();

export type YoutubeVideo = {
  id: string;
  channelId: string | null;
  title: string;
  description: string;
  publishedAt: Date | null;
  durationSeconds: number | null;
  liveBroadcastContent: string | null;
  thumbnailUrl: string | null;
  viewCount: number | null;
  likeCount: number | null;
};

/** ISO 8601 duration (PT1H2M3S, P0D) → seconds; null when absent or unreadable. */
export function parseIsoDuration(value: string | undefined | null): number | null {
  if (!value) return null;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value.trim());
  if (!m) return null;
  const [, d, h, min, s] = m;
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0);
}

/** videos.list in batches of 50 (1 unit each): exact publish dates, durations, live state. */
export async function getVideosByIds(ids: string[]): Promise<YoutubeVideo[]> {
  const out: YoutubeVideo[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const res = await request(
      'videos.list',
      YOUTUBE_UNITS.list,
      (yt, o) => yt.videos.list({ part: ['snippet', 'contentDetails', 'statistics'], id: batch, maxResults: BATCH }, o),
      videoList,
    );
    for (const v of res.items) {
      const published = v.snippet?.publishedAt ? new Date(v.snippet.publishedAt) : null;
      out.push({
        id: v.id,
        channelId: v.snippet?.channelId ?? null,
        title: v.snippet?.title ?? '',
        description: v.snippet?.description ?? '',
        publishedAt: published && !Number.isNaN(published.getTime()) ? published : null,
        // P0D (upcoming lives) is "no duration yet", not a 0-second video.
        durationSeconds: parseIsoDuration(v.contentDetails?.duration) || null,
        liveBroadcastContent: v.snippet?.liveBroadcastContent ?? null,
        thumbnailUrl: v.snippet?.thumbnails?.high?.url ?? v.snippet?.thumbnails?.default?.url ?? null,
        viewCount: v.statistics?.viewCount ?? null,
        likeCount: v.statistics?.likeCount ?? null,
      });
    }
  }
  return out;
}

const searchList = z
  .object({
    items: z
      .array(
        z.object({
          id: z.object({ kind: z.string().optional(), channelId: z.string().optional(), videoId: z.string().optional() }).passthrough(),
          snippet: z.object({ channelId: z.string().optional(), title: z.string().default(''), publishedAt: z.string().optional() }).passthrough().optional(),
        }),
      )
      .default([]),
  })
  .passthrough();

export type SearchHit = { channelId: string; videoId: string | null };

/**
 * search.list (100 units, counted against the daily search budget too): channels for a query, or — with a period —
 * videos published in it (the caller groups them by channel). Korean region and language.
 */
export async function searchYoutube(q: { query: string; type: 'channel' | 'video'; publishedAfter?: Date; publishedBefore?: Date; maxResults?: number }): Promise<SearchHit[]> {
  const res = await request(
    'search.list',
    YOUTUBE_UNITS.search,
    (yt, o) =>
      yt.search.list(
        {
          part: ['snippet'],
          q: q.query,
          type: [q.type],
          regionCode: 'KR',
          relevanceLanguage: 'ko',
          maxResults: q.maxResults ?? (q.type === 'channel' ? 25 : BATCH),
          publishedAfter: q.publishedAfter?.toISOString(),
          publishedBefore: q.publishedBefore?.toISOString(),
        },
        o,
      ),
    searchList,
  );
  const hits: SearchHit[] = [];
  for (const it of res.items) {
    const channelId = it.id.channelId ?? it.snippet?.channelId;
    if (channelId) hits.push({ channelId, videoId: it.id.videoId ?? null });
  }
  return hits;
}
