import { DomainError, errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { enqueue } from '@/src/server/queue';
import { canTranscribeWithoutMedia } from '@/src/server/transcripts';
import { acquireMedia, completeMediaStage, failVideo, findVideo } from '@/src/server/videos';
import { defineWorker } from './define';

/**
 * Media acquisition: upload verified in place, YouTube via yt-dlp, direct URL via the SSRF-safe fetch; then
 * video.transcript. A video whose media cannot be had is failed with media_unavailable / invalid_media.
 */
export default defineWorker({
  queue: 'video.media',
  async run({ videoId }) {
    const video = await findVideo(Number(videoId));
    if (!video) return log.info({ videoId }, 'video.media: video no longer exists');
    if (video.stage === 'transcript' && video.mediaPath) {
      // Moved on already; a crash between commit and ack cannot lose the next job (the send is deduplicated).
      await enqueue('video.transcript', { videoId });
      return;
    }
    if (video.stage !== 'media') return log.info({ videoId, stage: video.stage }, 'video.media: nothing to do');

    const media = await acquireMedia(video);
    if (media.kind === 'unavailable') {
      await failVideo(video.id, 'media', media.code, media.reason);
      log.warn({ videoId, code: media.code, reason: media.reason }, 'video.media: media unavailable');
      // Pipeline hook (issue 4): a YouTube video without media can still be transcribed by Gemini reading its URL;
      // video.transcript takes such a failed video back when Gemini is configured.
      if (media.code === 'media_unavailable' && canTranscribeWithoutMedia(video)) await enqueue('video.transcript', { videoId });
      return;
    }
    await completeMediaStage(video, media);
    log.info({ videoId, mediaPath: media.mediaPath, captions: !!media.captionsPath, duration: media.durationSeconds }, 'video.media: media stored');
  },
  async onGiveUp({ videoId }, err) {
    const code = err instanceof DomainError && err.code === 'not_configured' ? 'not_configured' : 'upstream_failed';
    await failVideo(Number(videoId), 'media', code, `Media could not be fetched: ${errorMessage(err)}`);
  },
});
