import type { VideoErrorCode } from '@/src/server/db/schema';
import { log } from '@/src/server/logger';
import { sendNext } from '@/src/server/queue';
import { findVideo } from '@/src/server/videos/repo';
import { failVideo, reportWindowProgress, syncVideoStage } from '@/src/server/videos/stage';
import { collectWindowVisualEvidence } from '@/src/server/visual';
import { failWindow, getWindow, setWindowStage } from './index';

/**
 * The window.visual step (PRODUCT.md step 7): frames of the media file, or Gemini watching the window on YouTube
 * when there is none, or none with the reason → candidate.synthesize. While the LLM budget is spent, a window that
 * needs Gemini is sent again for when the budget resumes.
 */
export async function collectWindowEvidence(windowId: number, opts: { finalAttempt: boolean }): Promise<void> {
  const win = await getWindow(windowId);
  if (!win) return log.info({ windowId }, 'window.visual: window no longer exists');
  const synthesize = () => sendNext('window.visual', 'candidate.synthesize', { windowId: String(windowId) });
  if (win.stage === 'synthesize') return void (await synthesize());
  if (win.stage !== 'visual') return log.info({ windowId, stage: win.stage }, 'window.visual: nothing to do');
  const video = await findVideo(win.videoId);
  if (!video) return;
  const r = await collectWindowVisualEvidence(win, video, {
    finalAttempt: opts.finalAttempt,
    onProgress: (fraction) => reportWindowProgress(win.videoId, fraction),
  });
  if (r.next === 'later') {
    log.warn({ windowId, videoId: win.videoId, until: r.until.toISOString(), reason: r.reason }, 'window.visual: waiting for the LLM budget');
    return void (await sendNext('window.visual', 'window.visual', { windowId: String(windowId) }, { startAfter: r.until }));
  }
  await setWindowStage(win.id, 'visual', 'synthesize');
  await synthesize();
  await syncVideoStage(win.videoId, 'window.visual');
}

/** window.visual gave up: the window and its video fail with the reason (a full disk is the server's, not the media's). */
export async function failWindowVisual(windowId: number, message: string, code: VideoErrorCode = 'invalid_media'): Promise<void> {
  const win = await getWindow(windowId);
  if (!win) return;
  await failWindow(win.id, message);
  await failVideo(win.videoId, 'visual', code, `Visual analysis of window ${win.ordinal} (${win.start.toFixed(0)}–${win.end.toFixed(0)} s) failed: ${message}`);
}
