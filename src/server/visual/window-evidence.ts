import type { WindowVisualEvidence } from '@/src/server/db/schema';
import { geminiConfigured } from '@/src/server/integrations/gemini/client';
import { log } from '@/src/server/logger';
import type { VideoRow } from '@/src/server/videos/repo';
import { analyzeWindowVisuals } from './analyze-window';
import { alreadyWatched, readWindowVisualsFromYoutube, recordWindowVisualEvidence, type GeminiWindow } from './gemini-window-visuals';

export type WindowEvidenceResult =
  | { next: 'synthesize'; evidence: WindowVisualEvidence }
  /** The LLM budget is spent: look again when it resumes (the window stays in `visual`). */
  | { next: 'later'; until: Date; reason: string };

export const NO_MEDIA_NO_GEMINI =
  'No visual evidence: the video has no media file (it could not be downloaded, so there are no frames to read) and ' +
  'no Gemini key is configured (GEMINI_API_KEY) to watch this part of the YouTube video instead.';
export const NO_MEDIA_NO_URL = 'No visual evidence: the video has no media file and no YouTube URL to watch.';

export const youtubeUrlOf = (video: Pick<VideoRow, 'sourceKind' | 'youtubeId'>): string | null =>
  video.sourceKind === 'youtube' && video.youtubeId ? `https://www.youtube.com/watch?v=${video.youtubeId}` : null;

/**
 * Visual evidence of one window (PRODUCT.md step 7) from what the video offers: the frames of its media file (OCR,
 * detector, crop); without a media file, Gemini watching the window's interval of the YouTube URL; else none, with
 * the reason recorded on the window (and, through synthesis, on its candidate) and logged.
 */
export async function collectWindowVisualEvidence(
  win: GeminiWindow,
  video: Pick<VideoRow, 'mediaPath' | 'sourceKind' | 'youtubeId'>,
  opts: { finalAttempt: boolean },
): Promise<WindowEvidenceResult> {
  const ids = { windowId: win.id, videoId: win.videoId };
  if (video.mediaPath) {
    const r = await analyzeWindowVisuals(win, video.mediaPath);
    const evidence: WindowVisualEvidence = {
      source: 'frames',
      note: `${r.frames} frame(s) of the media file read: ${r.ocrLines} OCR line(s)${r.cropPath ? ', one product crop' : ''}.`,
    };
    await recordWindowVisualEvidence(win, evidence);
    log.info({ ...ids, ...r }, 'visual evidence stored');
    return { next: 'synthesize', evidence };
  }
  const youtubeUrl = youtubeUrlOf(video);
  if (youtubeUrl && (geminiConfigured() || alreadyWatched(win))) {
    const r = await readWindowVisualsFromYoutube(win, youtubeUrl, opts);
    if (r.kind === 'deferred') return { next: 'later', until: r.until, reason: r.reason };
    return { next: 'synthesize', evidence: r.evidence };
  }
  const evidence: WindowVisualEvidence = { source: 'none', note: youtubeUrl ? NO_MEDIA_NO_GEMINI : NO_MEDIA_NO_URL };
  await recordWindowVisualEvidence(win, evidence);
  log.warn({ ...ids, reason: evidence.note }, 'window.visual: no visual evidence');
  return { next: 'synthesize', evidence };
}
