import { failWindow, getWindow, synthesizeWindow } from '@/src/server/analysis/pipeline';
import { syncVideoStage } from '@/src/server/candidates/pipeline/video-progress';
import { DomainError, errorMessage } from '@/src/server/errors';
import { LlmOutputError } from '@/src/server/integrations/gemini/client';
import { log } from '@/src/server/logger';
import { failVideo, findVideo } from '@/src/server/videos';
import { defineWorker } from './define';

/** Pass 2 + PPL + score for one window, then the candidate is saved (PRODUCT.md steps 8, 9, 11) → candidate.monetize. */
export default defineWorker({
  queue: 'candidate.synthesize',
  async run({ windowId }) {
    const win = await getWindow(Number(windowId));
    if (!win) return log.info({ windowId }, 'candidate.synthesize: window no longer exists');
    if (win.stage !== 'synthesize') return log.info({ windowId, stage: win.stage }, 'candidate.synthesize: nothing to do');
    const video = await findVideo(win.videoId);
    if (!video) return;
    try {
      const saved = await synthesizeWindow(win, video);
      log.info({ windowId, videoId: win.videoId, ...saved }, 'window synthesized');
    } catch (err) {
      if (!(err instanceof LlmOutputError)) throw err;
      // Nothing was written for this window: the stage fails with the reason, and no partial candidate exists.
      await failWindow(win.id, err.message);
      await failVideo(win.videoId, 'synthesize', 'upstream_failed', `Candidate synthesis of window ${win.ordinal} failed: ${err.message}. Retry the video.`);
      return;
    }
    await syncVideoStage(win.videoId);
  },
  async onGiveUp({ windowId }, err) {
    const win = await getWindow(Number(windowId));
    if (!win) return;
    await failWindow(win.id, errorMessage(err));
    const code = err instanceof DomainError && err.code === 'not_configured' ? 'not_configured' : 'upstream_failed';
    await failVideo(win.videoId, 'synthesize', code, `Candidate synthesis of window ${win.ordinal} failed: ${errorMessage(err)}`);
  },
});
