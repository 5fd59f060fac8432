/**
 * Stores videos found for a channel (feed entries or backfilled uploads) once each, decides which are never
 * analysed, and queues the rest.
 *
 *   - one row per YouTube id (unique; insert … on conflict do nothing), so re-polls and overlapping backfills add
 *     nothing; rows of this channel still `queued` are re-sent to video.ingest (harmless: jobs are deduplicated).
 *   - with YOUTUBE_API_KEY, new feed entries are looked up with videos.list (batches of 50) for exact dates,
 *     durations and live state; if that lookup fails (quota, outage) the feed's own signals still apply.
 *   - Shorts (long-form feed, /shorts/ link, duration ≤ 180 s, #shorts) and upcoming/live broadcasts are stored as
 *     `skipped` with the rule (`decideSkip`).
 *   - media channels: a video is kept only when its title (or else description) names a registered celebrity
 *     (Korean-aware alias matching); the first celebrity named is linked. Videos naming none are stored as
 *     `skipped` with rule `no_celebrity`, so a re-poll does not evaluate them again and the operator sees why.
 *     (A celebrity registered later does not revive them; a backfill of the period re-stores nothing either —
 *     submit such a video by URL.)
 */
import { inArray, and, eq } from 'drizzle-orm';
import { getDb, schema } from '@/src/server/db';
import { errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { sendNext } from '@/src/server/queue';
import { createAliasMatcher } from '@/src/server/channels/alias-match';
import { allCelebrities, type ChannelRow } from '@/src/server/channels';
import { getVideosByIds, youtubeDataConfigured, type YoutubeVideo } from '@/src/server/integrations/youtube-data/client';
import { decideSkip, type VideoSource } from '@/src/server/videos/shorts-rules';

const { videos } = schema;

export type FoundVideo = {
  youtubeId: string;
  title: string;
  description: string;
  publishedAt: Date | null;
  url: string;
  durationSeconds?: number | null;
  liveBroadcastContent?: string | null;
  thumbnailUrl?: string | null;
  viewCount?: number | null;
  likeCount?: number | null;
  /** Exact metadata from videos.list is already merged in. */
  enriched?: boolean;
};

export type StoreResult = { seen: number; created: number; queued: number; skipped: number; existing: number; skipRules: Record<string, number> };

export function mergeDataApi(v: FoundVideo, d: YoutubeVideo): FoundVideo {
  return {
    ...v,
    title: d.title || v.title,
    description: d.description || v.description,
    publishedAt: d.publishedAt ?? v.publishedAt,
    durationSeconds: d.durationSeconds,
    liveBroadcastContent: d.liveBroadcastContent,
    thumbnailUrl: d.thumbnailUrl ?? v.thumbnailUrl,
    viewCount: d.viewCount,
    likeCount: d.likeCount,
    enriched: true,
  };
}

async function enrich(found: FoundVideo[], channelId: number): Promise<FoundVideo[]> {
  const missing = found.filter((v) => !v.enriched);
  if (!missing.length || !youtubeDataConfigured()) return found;
  try {
    const details = new Map((await getVideosByIds(missing.map((v) => v.youtubeId))).map((d) => [d.id, d]));
    return found.map((v) => (v.enriched || !details.has(v.youtubeId) ? v : mergeDataApi(v, details.get(v.youtubeId)!)));
  } catch (err) {
    log.warn({ channelId, err: errorMessage(err) }, 'videos.list lookup failed; using the feed signals only');
    return found;
  }
}

/** A stored video goes on to ingest, sent by the job that stored it: a backfill (Data API) or a feed poll. */
function sendIngest(source: VideoSource, videoId: number) {
  const data = { videoId: String(videoId) };
  return source === 'data_api' ? sendNext('channels.backfill', 'video.ingest', data) : sendNext('feeds.poll-channel', 'video.ingest', data);
}

export async function storeChannelVideos(channel: ChannelRow, found: FoundVideo[], source: VideoSource): Promise<StoreResult> {
  const db = getDb();
  const result: StoreResult = { seen: found.length, created: 0, queued: 0, skipped: 0, existing: 0, skipRules: {} };
  if (!found.length) return result;

  const ids = [...new Set(found.map((v) => v.youtubeId))];
  const known = await db.select({ id: videos.id, youtubeId: videos.youtubeId, stage: videos.stage, channelId: videos.channelId }).from(videos).where(inArray(videos.youtubeId, ids));
  const knownIds = new Set(known.map((k) => k.youtubeId));
  result.existing = knownIds.size;
  // A row whose job was lost (crash between insert and send) is sent again; the queue drops duplicates.
  for (const k of known) if (k.stage === 'queued' && k.channelId === channel.id) await sendIngest(source, k.id);

  const seen = new Set<string>();
  const fresh = found.filter((v) => !knownIds.has(v.youtubeId) && !seen.has(v.youtubeId) && seen.add(v.youtubeId));
  if (!fresh.length) return result;

  const enriched = await enrich(fresh, channel.id);
  const matcher = channel.kind === 'media' ? createAliasMatcher((await allCelebrities()).map((c) => ({ id: String(c.id), name: c.name, aliases: c.aliases }))) : null;

  for (const v of enriched) {
    let celebrityId: number | null = channel.kind === 'celebrity' ? channel.celebrityId : null;
    let skip: { rule: string; reason: string; isShort: boolean } | null = null;
    const decision = decideSkip({ source, url: v.url, title: v.title, description: v.description, durationSeconds: v.durationSeconds, liveBroadcastContent: v.liveBroadcastContent });
    if (decision.skip) skip = { rule: decision.rule, reason: decision.reason, isShort: decision.rule.startsWith('shorts') };
    if (matcher) {
      const mention = matcher.findMentions(v.title)[0] ?? matcher.findMentions(v.description)[0];
      if (mention) celebrityId = Number(mention.celebrityId);
      else if (!skip) skip = { rule: 'no_celebrity', reason: '미디어 채널 영상의 제목/설명에 등록된 유명인이 없습니다 — media channel video naming no registered celebrity', isShort: false };
    }

    const [row] = await db
      .insert(videos)
      .values({
        sourceKind: 'youtube',
        youtubeId: v.youtubeId,
        sourceUrl: `https://www.youtube.com/watch?v=${v.youtubeId}`,
        channelId: channel.id,
        celebrityId,
        title: v.title,
        description: v.description,
        publishedAt: v.publishedAt,
        durationSeconds: v.durationSeconds ?? null,
        thumbnailUrl: v.thumbnailUrl ?? null,
        viewCount: v.viewCount ?? null,
        likeCount: v.likeCount ?? null,
        isShort: skip?.isShort ?? false,
        skipRule: skip?.rule ?? null,
        skipReason: skip?.reason ?? null,
        stage: skip ? 'skipped' : 'queued',
      })
      .onConflictDoNothing()
      .returning({ id: videos.id, stage: videos.stage });
    if (!row) {
      result.existing++;
      continue;
    }
    result.created++;
    if (skip) {
      result.skipped++;
      result.skipRules[skip.rule] = (result.skipRules[skip.rule] ?? 0) + 1;
    } else {
      await sendIngest(source, row.id);
      result.queued++;
    }
  }
  log.info({ channelId: channel.id, source, ...result }, 'channel videos stored');
  return result;
}

/** Videos of a channel by YouTube id (tests and the console). */
export async function channelVideoIds(channelId: number): Promise<string[]> {
  const rows = await getDb().select({ youtubeId: videos.youtubeId }).from(videos).where(and(eq(videos.channelId, channelId)));
  return rows.map((r) => r.youtubeId ?? '');
}
