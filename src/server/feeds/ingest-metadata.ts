/**
 * The metadata part of `video.ingest` for YouTube videos: with YOUTUBE_API_KEY, a video whose duration is not known
 * yet (typically one submitted by URL) is looked up with videos.list (1 unit) for its title, description, exact
 * publish date, duration and live state; it is linked to its registered channel and that channel's celebrity (or,
 * failing that, to a celebrity its title names). Shorts by duration and upcoming/live broadcasts are then stored as
 * `skipped` with the rule — they never reach media acquisition.
 *
 * Metadata is a help, not a gate: when the Data API is not configured, over quota or failing, ingest goes on with
 * what it has (logged), and media acquisition reports an unavailable video as usual.
 */
import { and, eq } from 'drizzle-orm';
import { getDb, schema } from '@/src/server/db';
import { DomainError, errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { skipQueuedVideo } from '@/src/server/videos/stage';
import { createAliasMatcher } from '@/src/server/channels/alias-match';
import { allCelebrities } from '@/src/server/channels';
import { findChannelByYoutubeId } from '@/src/server/channels/repo';
import { getVideosByIds, youtubeDataConfigured, type YoutubeVideo } from '@/src/server/integrations/youtube-data/client';
import { decideSkip } from '@/src/server/videos/shorts-rules';

const { videos } = schema;
type VideoRow = typeof videos.$inferSelect;

export type MetadataOutcome = { skipped: false; looked: boolean } | { skipped: true; rule: string };

export async function applyYoutubeMetadata(video: VideoRow): Promise<MetadataOutcome> {
  if (video.sourceKind !== 'youtube' || !video.youtubeId || video.stage !== 'queued') return { skipped: false, looked: false };
  if (video.durationSeconds !== null || !youtubeDataConfigured()) return { skipped: false, looked: false };

  let meta: YoutubeVideo | undefined;
  try {
    [meta] = await getVideosByIds([video.youtubeId]);
  } catch (err) {
    if (err instanceof DomainError && ['budget_exhausted', 'upstream_failed', 'not_configured'].includes(err.code)) {
      log.warn({ videoId: video.id, err: errorMessage(err) }, 'video.ingest: metadata lookup failed; continuing without it');
      return { skipped: false, looked: false };
    }
    throw err;
  }
  if (!meta) {
    log.info({ videoId: video.id, youtubeId: video.youtubeId }, 'video.ingest: YouTube does not list the video (private or removed)');
    return { skipped: false, looked: true };
  }

  let channelId = video.channelId;
  let celebrityId = video.celebrityId;
  if (channelId === null && meta.channelId) {
    const channel = await findChannelByYoutubeId(meta.channelId);
    if (channel && channel.status !== 'excluded') {
      channelId = channel.id;
      if (channel.kind === 'celebrity') celebrityId ??= channel.celebrityId;
    }
  }
  if (celebrityId === null) {
    const matcher = createAliasMatcher((await allCelebrities()).map((c) => ({ id: String(c.id), name: c.name, aliases: c.aliases })));
    const mention = matcher.findMentions(meta.title)[0] ?? matcher.findMentions(meta.description)[0];
    if (mention) celebrityId = Number(mention.celebrityId);
  }

  const decision = decideSkip({
    source: 'data_api',
    url: video.sourceUrl,
    title: meta.title,
    description: meta.description,
    durationSeconds: meta.durationSeconds,
    liveBroadcastContent: meta.liveBroadcastContent,
  });
  const [row] = await getDb()
    .update(videos)
    .set({
      title: meta.title || video.title,
      description: meta.description || video.description,
      publishedAt: meta.publishedAt ?? video.publishedAt,
      durationSeconds: meta.durationSeconds,
      thumbnailUrl: meta.thumbnailUrl ?? video.thumbnailUrl,
      viewCount: meta.viewCount,
      likeCount: meta.likeCount,
      channelId,
      celebrityId,
    })
    .where(and(eq(videos.id, video.id), eq(videos.stage, 'queued')))
    .returning({ id: videos.id });
  if (decision.skip && row && (await skipQueuedVideo(video.id, { rule: decision.rule, reason: decision.reason, isShort: decision.rule.startsWith('shorts') }))) {
    log.info({ videoId: video.id, rule: decision.rule }, 'video.ingest: skipped by metadata');
    return { skipped: true, rule: decision.rule };
  }
  return { skipped: false, looked: true };
}
