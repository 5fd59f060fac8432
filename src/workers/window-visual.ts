import { failWindow, getWindow, setWindowStage } from '@/src/server/analysis/pipeline';
import { syncVideoStage } from '@/src/server/candidates/pipeline/video-progress';
import { errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { enqueue } from '@/src/server/queue';
import { findVideo, failVideo } from '@/src/server/videos';
import { analyzeWindowVisuals } from '@/src/server/visual';
import { defineWorker } from './define';

/** Visual evidence of one window (PRODUCT.md step 7) → candidate.synthesize. */
export default defineWorker({
  queue: 'window.visual',
  async run({ windowId }) {
    const win = await getWindow(Number(windowId));
    if (!win) return log.info({ windowId }, 'window.visual: window no longer exists');
    if (win.stage === 'synthesize') return void (await enqueue('candidate.synthesize', { windowId }));
    if (win.stage !== 'visual') return log.info({ windowId, stage: win.stage }, 'window.visual: nothing to do');
    const video = await findVideo(win.videoId);
    if (!video) return;
    if (video.mediaPath) {
      const r = await analyzeWindowVisuals({ id: win.id, videoId: win.videoId, start: win.start, end: win.end }, video.mediaPath);
      log.info({ windowId, videoId: win.videoId, ...r }, 'visual evidence stored');
    } else log.info({ windowId }, 'window.visual: no media (transcribed from the YouTube URL); no frames');
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
