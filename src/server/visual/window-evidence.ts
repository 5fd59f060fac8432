import type { WindowVisualEvidence } from '@/src/server/db/schema';
import { geminiConfigured } from '@/src/server/integrations/gemini/client';
import { log } from '@/src/server/logger';
import type { VideoRow } from '@/src/server/videos/repo';
import { analyzeWindowVisuals, type WindowProgress } from './analyze-window';
import { alreadyWatched, readWindowVisualsFromYoutube, recordWindowVisualEvidence, type GeminiWindow } from './gemini-window-visuals';

export type WindowEvidenceResult =
  | { next: 'synthesize'; evidence: WindowVisualEvidence }
  /** The LLM budget is spent: look again when it resumes (the window stays in `visual`). */
  | { next: 'later'; until: Date; reason: string };

/** Notes the operator reads beside a candidate's evidence (Korean, like the rest of the console). */
export const NO_MEDIA_NO_GEMINI =
  '화면 근거 없음: 영상 파일이 없고(내려받지 못해 읽을 프레임이 없음), 대신 YouTube에서 이 구간을 볼 ' +
  'Gemini 키(GEMINI_API_KEY)도 설정되지 않았습니다.';
export const NO_MEDIA_NO_URL = '화면 근거 없음: 영상 파일도, 대신 볼 YouTube 주소도 없습니다.';

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
  opts: { finalAttempt: boolean; onProgress?: WindowProgress },
): Promise<WindowEvidenceResult> {
  const ids = { windowId: win.id, videoId: win.videoId };
  if (video.mediaPath) {
    const r = await analyzeWindowVisuals(win, video.mediaPath, { onProgress: opts.onProgress });
    const evidence: WindowVisualEvidence = {
      source: 'frames',
      note: `영상 파일의 프레임 ${r.frames}장을 읽었습니다: 화면 글자 ${r.ocrLines}줄${r.cropPath ? ', 제품 이미지 1장' : ''}.`,
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
