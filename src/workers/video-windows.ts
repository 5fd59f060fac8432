import { findAndStoreWindows, resumeWindows } from '@/src/server/analysis/pipeline';
import { DomainError, errorMessage } from '@/src/server/errors';
import { LlmOutputError } from '@/src/server/integrations/gemini/client';
import { log } from '@/src/server/logger';
import { failVideo, findVideo } from '@/src/server/videos';
import { defineWorker } from './define';

/** Pass 1 (PRODUCT.md step 6): recommendation windows → one window.visual job each (zero windows → done). */
export default defineWorker({
  queue: 'video.windows',
  async run({ videoId }) {
    const video = await findVideo(Number(videoId));
    if (!video) return log.info({ videoId }, 'video.windows: video no longer exists');
    if (video.stage === 'visual') return void (await resumeWindows(video.id));
    if (video.stage !== 'windows') return log.info({ videoId, stage: video.stage }, 'video.windows: nothing to do');
    try {
      await findAndStoreWindows(video);
    } catch (err) {
      if (err instanceof LlmOutputError) return failVideo(video.id, 'windows', 'upstream_failed', `Finding recommendation windows failed: ${err.message}. Retry the video.`);
      throw err;
    }
  },
  async onGiveUp({ videoId }, err) {
    const code = err instanceof DomainError && err.code === 'not_configured' ? 'not_configured' : 'upstream_failed';
    await failVideo(Number(videoId), 'windows', code, `Finding recommendation windows failed: ${errorMessage(err)}`);
  },
});
