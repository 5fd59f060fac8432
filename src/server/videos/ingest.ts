import { applyYoutubeMetadata } from '@/src/server/feeds/ingest-metadata';
import { log } from '@/src/server/logger';
import { sendNext } from '@/src/server/queue';
import { findVideo } from './repo';
import { moveStage } from './stage';

/**
 * The video.ingest step, first of every video: YouTube metadata (with a Data API key: exact date, duration, live
 * state, channel and celebrity links; Shorts and upcoming/live broadcasts stop here as `skipped`), then media.
 */
export async function ingestVideo(videoId: number): Promise<void> {
  const video = await findVideo(videoId);
  if (!video) return log.info({ videoId }, 'video.ingest: video no longer exists');
  if ((await applyYoutubeMetadata(video)).skipped) return;
  if (video.stage === 'queued') await moveStage(video.id, 'queued', 'media', { progress: 0.05 });
  else if (video.stage !== 'media') return log.info({ videoId, stage: video.stage }, 'video.ingest: nothing to do');
  await sendNext('video.ingest', 'video.media', { videoId: String(videoId) });
}
