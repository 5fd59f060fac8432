import { failWindow, getWindow, setWindowStage } from '@/src/server/analysis/pipeline';
import { syncVideoStage } from '@/src/server/candidates/pipeline/video-progress';
import { errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { enqueue } from '@/src/server/queue';
import { findVideo, failVideo } from '@/src/server/videos';
import { collectWindowVisualEvidence } from '@/src/server/visual';
import { defineWorker } from './define';

/**
 * Visual evidence of one window (PRODUCT.md step 7): frames of the media file, or Gemini watching the window on
 * YouTube when there is none, or none with the reason → candidate.synthesize. While the LLM budget is spent, a window
 * that needs Gemini runs again when the budget resumes.
 */
export default defineWorker({
  queue: 'window.visual',
  async run({ windowId }, { isFinalAttempt }) {
    const win = await getWindow(Number(windowId));
    if (!win) return log.info({ windowId }, 'window.visual: window no longer exists');
    if (win.stage === 'synthesize') return void (await enqueue('candidate.synthesize', { windowId }));
    if (win.stage !== 'visual') return log.info({ windowId, stage: win.stage }, 'window.visual: nothing to do');
    const video = await findVideo(win.videoId);
    if (!video) return;
    const r = await collectWindowVisualEvidence(win, video, { finalAttempt: isFinalAttempt });
    if (r.next === 'later') {
      log.warn({ windowId, videoId: win.videoId, until: r.until.toISOString(), reason: r.reason }, 'window.visual: waiting for the LLM budget');
      return void (await enqueue('window.visual', { windowId }, { startAfter: r.until }));
    }
    await setWindowStage(win.id, 'visual', 'synthesize');
    await enqueue('candidate.synthesize', { windowId });
    await syncVideoStage(win.videoId);
  },
  async onGiveUp({ windowId }, err) {
    const win = await getWindow(Number(windowId));
    if (!win) return;
    await failWindow(win.id, errorMessage(err));
    await failVideo(win.videoId, 'visual', 'invalid_media', `Visual analysis of window ${win.ordinal} (${win.start.toFixed(0)}–${win.end.toFixed(0)} s) failed: ${errorMessage(err)}`);
  },
});
