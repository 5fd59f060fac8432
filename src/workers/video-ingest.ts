import { failVideo, findVideo, moveStage } from '@/src/server/videos';
import { errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { enqueue } from '@/src/server/queue';
import { applyYoutubeMetadata } from '@/src/server/feeds/ingest-metadata';
import { defineWorker } from './define';

/**
 * First step of every video: YouTube metadata (with a Data API key: exact date, duration, live state, channel and
 * celebrity links; Shorts and upcoming/live broadcasts stop here as `skipped`), then hand it to media acquisition.
 */
export default defineWorker({
  queue: 'video.ingest',
  async run({ videoId }) {
    const video = await findVideo(Number(videoId));
    if (!video) return log.info({ videoId }, 'video.ingest: video no longer exists');
    if ((await applyYoutubeMetadata(video)).skipped) return;
    if (video.stage === 'queued') await moveStage(video.id, 'queued', 'media', { progress: 0.05 });
    else if (video.stage !== 'media') return log.info({ videoId, stage: video.stage }, 'video.ingest: nothing to do');
    await enqueue('video.media', { videoId });
  },
  async onGiveUp({ videoId }, err) {
    await failVideo(Number(videoId), 'queued', 'internal', errorMessage(err));
  },
});
