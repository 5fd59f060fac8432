import { eq, or } from 'drizzle-orm';
import { getDb, schema, transaction } from '@/src/server/db';
import { DomainError, notFound } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { startJob } from '@/src/server/queue';
import { getConfig } from '@/src/server/config';
import { assertPublicUrl } from '@/src/server/integrations/http/safe-fetch';
import { parseSubmittedUrl } from './submitted-url';
import { assertYoutubeAnalyzable } from './intake';
import { candidateSummaries, countVideoRows, findVideo, listVideoRows } from './repo';
import type { VideoDto } from './schemas';
import { toVideoDto } from './dto';

export { findVideo } from './repo';
export { moveStage, failVideo, failVideoWith, syncVideoStage } from './stage';
export { toVideoDto } from './dto';
export { acquireMedia, completeMediaStage, type AcquiredMedia } from './acquire-media';
export { submitUpload, receiveUpload, type UploadInput } from './upload';
export { retryVideo } from './retry';
export { currentIntakePlan, type IntakePlan } from './intake';
const { videos } = schema;

/**
 * Registers a video for analysis from a URL: YouTube watch/share/embed URLs become the video id, a Shorts URL is
 * stored as skipped (Shorts are never analysed), any other http(s) URL is a direct media URL. The same video
 * submitted twice is one row: `created` is false and the existing id is returned. A YouTube video this server cannot
 * analyse (no yt-dlp and no Gemini key) is refused before anything is stored (422 cannot_analyze, saying what to do).
 */
export async function submitVideoUrl(url: string): Promise<{ video: VideoDto; created: boolean }> {
  const parsed = await parseSubmittedUrl(url);
  if (parsed.kind === 'youtube' && !parsed.isShorts) assertYoutubeAnalyzable();
  // A direct media URL is fetched by the server: refuse loopback/private/link-local/metadata targets up front (the
  // download checks again, on every redirect hop). YouTube links are fetched by yt-dlp from YouTube only.
  if (parsed.kind === 'url') await assertPublicUrl(parsed.url, { allowPrivate: getConfig().ALLOW_PRIVATE_URLS });
  const db = getDb();
  const values: typeof videos.$inferInsert =
    parsed.kind === 'youtube'
      ? {
          sourceKind: 'youtube',
          youtubeId: parsed.youtubeId,
          sourceUrl: `https://www.youtube.com/watch?v=${parsed.youtubeId}`,
          ...(parsed.isShorts
            ? {
                stage: 'skipped' as const,
                isShort: true,
                skipRule: 'shorts_link',
                skipReason: 'Shorts URL (/shorts/): Shorts are never analysed / 쇼츠는 분석하지 않습니다',
              }
            : {}),
        }
      : { sourceKind: 'url', sourceUrl: parsed.url };

  const inserted = await transaction(async (tx, client) => {
    const rows = await tx.insert(videos).values(values).onConflictDoNothing().returning();
    if (rows[0]?.stage === 'queued') await startJob('video.ingest', { videoId: String(rows[0].id) }, { client });
    return rows;
  });
  if (inserted.length) {
    const video = inserted[0];
    log.info({ videoId: video.id, stage: video.stage }, 'video submitted');
    return { video: toVideoDto(video), created: true };
  }
  const [existing] = await db
    .select()
    .from(videos)
    .where(
      parsed.kind === 'youtube'
        ? or(eq(videos.youtubeId, parsed.youtubeId), eq(videos.sourceUrl, values.sourceUrl!))
        : eq(videos.sourceUrl, parsed.url),
    );
  if (!existing) throw new DomainError('conflict', 'The video could not be registered; try again.');
  // A video still waiting may have lost its job (e.g. the queue was down): sending again is harmless.
  if (existing.stage === 'queued') await startJob('video.ingest', { videoId: String(existing.id) });
  return { video: toVideoDto(existing), created: false };
}

/** A page of videos, newest first, each with its candidates' count and tab; `counts` on request (counts: '1'). */
export async function listVideos(q: { channelId?: string; stage?: VideoDto['stage']; cursor?: string; limit: number; counts?: '0' | '1' }) {
  const channelId = q.channelId ? Number(q.channelId) : undefined;
  const [rows, counts] = await Promise.all([
    listVideoRows({ channelId, stage: q.stage, beforeId: q.cursor ? Number(q.cursor) : undefined, limit: q.limit + 1 }),
    q.counts === '1' ? countVideoRows({ channelId }) : undefined,
  ]);
  const page = rows.slice(0, q.limit);
  const summaries = await candidateSummaries(page.map((v) => v.id));
  return {
    items: page.map((v) => ({ ...toVideoDto(v), candidates: summaries.get(v.id) })),
    nextCursor: rows.length > q.limit ? String(page[page.length - 1].id) : null,
    ...(counts ? { counts } : {}),
  };
}

/** One video with its candidates' count and tab (the video's own page). */
export async function getVideoWithCandidates(id: string): Promise<VideoDto> {
  const v = await getVideoOrThrow(id);
  const summaries = await candidateSummaries([Number(v.id)]);
  return { ...v, candidates: summaries.get(Number(v.id)) };
}

export async function getVideoOrThrow(id: string): Promise<VideoDto> {
  if (!/^\d{1,15}$/.test(id)) throw notFound('Video'); // longer: out of bigint range, no such video
  const v = await findVideo(Number(id));
  if (!v) throw notFound('Video');
  return toVideoDto(v);
}
