import fs from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { schema, transaction } from '@/src/server/db';
import { errorMessage } from '@/src/server/errors';
import { downloadMedia, MediaUnavailableError, type MediaSource } from '@/src/server/integrations/media-download';
import { log } from '@/src/server/logger';
import { mediaPaths, resolveMediaPath, toStoredPath } from '@/src/server/media/paths';
import { InvalidMediaError, probeMedia } from '@/src/server/media/probe';
import { sendNext } from '@/src/server/queue';
import { parseCaptions } from '@/src/server/transcripts/captions';
import { canTranscribeWithoutMedia } from '@/src/server/transcripts';
import { findVideo, type VideoRow } from './repo';
import { failVideo, moveStage } from './stage';

const { videos } = schema;

/**
 * What media acquisition found for a video. `file`: the media is stored (paths relative to MEDIA_DIR) and probed.
 * `unavailable`: it cannot be had (`media_unavailable`: download refused/failed for good; `invalid_media`: what came
 * is not playable media). The caller decides: fail the video, or (later) analyse a YouTube URL without a download.
 */
export type AcquiredMedia =
  | {
      kind: 'file';
      mediaPath: string;
      captionsPath: string | null;
      durationSeconds: number;
      title?: string;
      description?: string;
    }
  | { kind: 'unavailable'; code: 'media_unavailable' | 'invalid_media'; reason: string };

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    (s) => s.isFile() && s.size > 0,
    () => false,
  );
}

function sourceOf(video: VideoRow): MediaSource | null {
  if (video.sourceKind === 'youtube' && video.youtubeId) return { kind: 'youtube', youtubeId: video.youtubeId };
  if (video.sourceKind === 'url' && video.sourceUrl) return { kind: 'url', url: video.sourceUrl };
  return null;
}

/** Keeps captions only when they parse (a broken auto-caption file must not stop the video). */
async function usableCaptions(file: string | null, videoId: number): Promise<string | null> {
  if (!file) return null;
  try {
    parseCaptions(await fs.readFile(file, 'utf8'), path.basename(file));
    return file;
  } catch (err) {
    log.warn({ videoId, err: errorMessage(err) }, 'downloaded captions are unusable; continuing without them');
    return null;
  }
}

/**
 * Gets the video's media file into DATA_DIR/media/<id>/: an upload (or an earlier run) is verified in place; a YouTube
 * video is downloaded with yt-dlp (≤ 720p + Korean captions); a direct URL through the SSRF-safe fetch. Every file is
 * probed with ffprobe before it is kept. Transient download failures throw (the job retries).
 */
export async function acquireMedia(video: VideoRow): Promise<AcquiredMedia> {
  if (video.mediaPath) {
    const abs = resolveMediaPath(video.mediaPath);
    if (await exists(abs)) {
      try {
        const probe = await probeMedia(abs, 'the stored media file');
        return { kind: 'file', mediaPath: video.mediaPath, captionsPath: video.captionsPath, durationSeconds: probe.durationSeconds };
      } catch (err) {
        if (err instanceof InvalidMediaError) return { kind: 'unavailable', code: 'invalid_media', reason: err.message };
        throw err;
      }
    }
    if (video.sourceKind === 'upload') {
      return { kind: 'unavailable', code: 'media_unavailable', reason: 'The uploaded file is missing from the media folder; upload it again.' };
    }
  }
  const source = sourceOf(video);
  if (!source) {
    return { kind: 'unavailable', code: 'media_unavailable', reason: `No media source for this ${video.sourceKind} video (no file, URL or YouTube id).` };
  }

  const tmp = mediaPaths.tmp(video.id);
  await fs.rm(tmp, { recursive: true, force: true });
  try {
    let got;
    try {
      got = await downloadMedia(source, tmp, { videoId: video.id });
    } catch (err) {
      if (err instanceof MediaUnavailableError) return { kind: 'unavailable', code: 'media_unavailable', reason: err.reason };
      throw err;
    }
    let probe;
    try {
      probe = await probeMedia(got.mediaFile, source.kind === 'url' ? 'the file at the media URL' : 'the downloaded video');
    } catch (err) {
      if (err instanceof InvalidMediaError) return { kind: 'unavailable', code: 'invalid_media', reason: err.message };
      throw err;
    }
    const ext = path.extname(got.mediaFile).slice(1) || 'mp4';
    const finalMedia = mediaPaths.source(video.id, ext);
    await fs.rename(got.mediaFile, finalMedia);
    let finalCaptions: string | null = null;
    const captions = await usableCaptions(got.captionsFile, video.id);
    if (captions) {
      finalCaptions = mediaPaths.captions(video.id, captions.endsWith('.srt') ? 'srt' : 'vtt');
      await fs.rename(captions, finalCaptions);
    }
    return {
      kind: 'file',
      mediaPath: toStoredPath(finalMedia),
      captionsPath: finalCaptions ? toStoredPath(finalCaptions) : null,
      durationSeconds: probe.durationSeconds,
      title: got.title,
      description: got.description,
    };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Records acquired media on a video still in the `media` stage and hands it to the transcript step, in one
 * transaction with the job. Returns false when the video had already moved on (a repeated job).
 */
export async function completeMediaStage(video: VideoRow, media: Extract<AcquiredMedia, { kind: 'file' }>): Promise<boolean> {
  return transaction(async (tx, client) => {
    const updated = await tx
      .update(videos)
      .set({
        mediaPath: media.mediaPath,
        captionsPath: media.captionsPath,
        durationSeconds: media.durationSeconds,
        ...(!video.title && media.title ? { title: media.title.slice(0, 500) } : {}),
        ...(!video.description && media.description ? { description: media.description.slice(0, 10_000) } : {}),
      })
      .where(and(eq(videos.id, video.id), eq(videos.stage, 'media')))
      .returning({ id: videos.id });
    if (!updated.length) return false;
    const moved = await moveStage(video.id, 'media', 'transcript', { progress: 0.2 }, tx);
    if (moved) await sendNext('video.media', 'video.transcript', { videoId: String(video.id) }, { client });
    return moved;
  });
}

/**
 * The video.media step: upload verified in place, YouTube via yt-dlp, direct URL via the SSRF-safe fetch; then
 * video.transcript. A video whose media cannot be had is failed with media_unavailable / invalid_media; a YouTube
 * video among them still goes on to a transcript when Gemini can read its URL.
 */
export async function acquireVideoMedia(videoId: number): Promise<void> {
  const video = await findVideo(videoId);
  if (!video) return log.info({ videoId }, 'video.media: video no longer exists');
  const next = () => sendNext('video.media', 'video.transcript', { videoId: String(videoId) });
  // moved on already: a crash between commit and ack cannot lose the next job (the send is deduplicated)
  if (video.stage === 'transcript' && video.mediaPath) return void (await next());
  if (video.stage !== 'media') return log.info({ videoId, stage: video.stage }, 'video.media: nothing to do');
  const media = await acquireMedia(video);
  if (media.kind === 'unavailable') {
    await failVideo(video.id, 'media', media.code, media.reason);
    log.warn({ videoId, code: media.code, reason: media.reason }, 'video.media: media unavailable');
    if (media.code === 'media_unavailable' && canTranscribeWithoutMedia(video)) await next();
    return;
  }
  await completeMediaStage(video, media);
  log.info({ videoId, mediaPath: media.mediaPath, captions: !!media.captionsPath, duration: media.durationSeconds }, 'video.media: media stored');
}
