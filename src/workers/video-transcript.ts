import { DomainError, errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { enqueue } from '@/src/server/queue';
import { canTranscribeWithoutMedia, transcribeVideo } from '@/src/server/transcripts';
import { failVideo, findVideo, moveStage } from '@/src/server/videos';
import { defineWorker } from './define';

/**
 * Transcript (PRODUCT.md step 5) → windows. Also picks up a YouTube video whose media could not be downloaded
 * (failed with media_unavailable) when Gemini can read its URL.
 */
export default defineWorker({
  queue: 'video.transcript',
  async run({ videoId }) {
    let video = await findVideo(Number(videoId));
    if (!video) return log.info({ videoId }, 'video.transcript: video no longer exists');
    if (video.stage === 'failed' && video.errorCode === 'media_unavailable' && canTranscribeWithoutMedia(video)) {
      await moveStage(video.id, 'failed', 'transcript', { progress: 0.2 });
      video = (await findVideo(video.id))!;
    }
    if (video.stage === 'windows') return void (await enqueue('video.windows', { videoId }));
    if (video.stage !== 'transcript') return log.info({ videoId, stage: video.stage }, 'video.transcript: nothing to do');
    await transcribeVideo(video);
    if (await moveStage(video.id, 'transcript', 'windows', { progress: 0.3 })) await enqueue('video.windows', { videoId });
  },
  async onGiveUp({ videoId }, err) {
    const code = err instanceof DomainError && err.code === 'not_configured' ? 'not_configured' : err instanceof DomainError && err.code === 'bad_request' ? 'invalid_media' : 'upstream_failed';
    await failVideo(Number(videoId), 'transcript', code, `Transcript failed: ${errorMessage(err)}`);
  },
});
