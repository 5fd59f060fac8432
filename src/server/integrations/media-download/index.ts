import fs from 'node:fs/promises';
import path from 'node:path';
import { getConfig } from '@/src/server/config';
import { DomainError } from '@/src/server/errors';
import { callExternal } from '@/src/server/integrations/policy';
import { ytdlpPath } from '@/src/server/media/binaries';
import { downloadDirect, mediaExtension } from './direct';
import { runYtdlp, YtdlpRefused } from './yt-dlp';

/**
 * One interface for getting a video's media file from outside: YouTube through yt-dlp, or a direct http(s) media URL.
 * Uploads never come here (their file is already stored). Every attempt goes through the policy layer (timeout,
 * breaker, one api_usage row with provider "media").
 */
export type MediaSource = { kind: 'youtube'; youtubeId: string } | { kind: 'url'; url: string };

export type DownloadedMedia = {
  /** Absolute path of the media file inside outDir. */
  mediaFile: string;
  /** Absolute path of captions that came with it (yt-dlp Korean subs), kept in their own format. */
  captionsFile: string | null;
  title?: string;
  description?: string;
};

/** The media cannot be had and retrying will not change that (unavailable/private video, no yt-dlp, 4xx, too large). */
export class MediaUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'MediaUnavailableError';
  }
}

/** yt-dlp downloads of long vlogs at 720p take minutes; the queue's expiry (30 min) is the outer bound. */
export const YTDLP_TIMEOUT_MS = 20 * 60_000;
export const DIRECT_TIMEOUT_MS = 10 * 60_000;

export function youtubeWatchUrl(youtubeId: string): string {
  return `https://www.youtube.com/watch?v=${youtubeId}`;
}

/**
 * Downloads the media into outDir (created; the caller owns and removes it). Transient failures (5xx, timeouts,
 * network) throw retryable errors; permanent ones MediaUnavailableError.
 */
export async function downloadMedia(source: MediaSource, outDir: string, meta: { videoId?: number | string } = {}): Promise<DownloadedMedia> {
  await fs.mkdir(outDir, { recursive: true });
  if (source.kind === 'youtube') {
    const binary = ytdlpPath();
    if (!binary) throw new MediaUnavailableError('yt-dlp is not installed (set YTDLP_PATH)');
    try {
      const out = await callExternal(
        { provider: 'media', operation: 'yt-dlp', videoId: meta.videoId },
        (signal) => runYtdlp(binary, youtubeWatchUrl(source.youtubeId), outDir, signal),
        { timeoutMs: YTDLP_TIMEOUT_MS, retries: 0 },
      );
      return {
        mediaFile: out.mediaFile,
        captionsFile: out.captionsFile,
        title: out.info.title,
        description: out.info.description ?? undefined,
      };
    } catch (err) {
      if (err instanceof YtdlpRefused) throw new MediaUnavailableError(`yt-dlp could not download the video: ${err.reason}`);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EACCES') {
        throw new MediaUnavailableError(`yt-dlp could not be started at ${binary} (set YTDLP_PATH)`);
      }
      throw err;
    }
  }

  const config = getConfig();
  const partial = path.join(outDir, 'download.part');
  try {
    const got = await callExternal(
      { provider: 'media', operation: 'download' , videoId: meta.videoId },
      (signal) =>
        downloadDirect(source.url, partial, {
          allowPrivate: config.ALLOW_PRIVATE_URLS,
          maxBytes: config.MAX_UPLOAD_MB * 1024 * 1024,
          timeoutMs: DIRECT_TIMEOUT_MS,
          signal,
        }),
      { timeoutMs: DIRECT_TIMEOUT_MS + 5_000, retries: 1 },
    );
    const mediaFile = path.join(outDir, `source.${mediaExtension(got.contentType, got.finalUrl)}`);
    await fs.rename(partial, mediaFile);
    return { mediaFile, captionsFile: null };
  } catch (err) {
    if (err instanceof DomainError && (err.code === 'bad_request' || err.code === 'payload_too_large' || err.code === 'forbidden')) {
      throw new MediaUnavailableError(err.message);
    }
    throw err;
  }
}
