import { and, eq, isNull } from 'drizzle-orm';
import { windowVideoRequest, type WindowVideoAnswer } from '@/src/server/analysis/llm-window-video';
import { budgetStatus } from '@/src/server/ops/budgets';
import { schema, transaction } from '@/src/server/db';
import type { Detection, OcrLine, WindowVisualEvidence } from '@/src/server/db/schema';
import { DomainError, errorMessage } from '@/src/server/errors';
import { IntegrationError } from '@/src/server/integrations/errors';
import { generateStructured, LlmOutputError } from '@/src/server/integrations/gemini/client';
import { log } from '@/src/server/logger';

const { visualFindings, windows } = schema;

/**
 * Visual evidence of a window whose video has no media file (it could not be downloaded): Gemini watches the
 * window's interval of the YouTube URL (analysis/llm-window-video.ts) and its answer is stored like the frames' OCR —
 * one visual_findings row at a representative time inside the window, no frame or crop image, the on-screen lines as
 * OCR lines of engine `gemini_video` and the products shown as detections — so candidate.synthesize reads it as it
 * reads frames.
 *
 * Idempotent: the window records the interval Gemini watched (windows.visual_evidence) in the same transaction as the
 * row, so a rerun for the same interval reuses the answer without calling Gemini again, and a new answer replaces the
 * window's earlier frameless (Gemini) rows. Visual evidence is optional: a refusal (400/401/404), an answer that stays
 * invalid after generateStructured's retries, or a transient failure on the job's last attempt leaves the window
 * without visual evidence, with the reason, instead of failing the video; earlier attempts rethrow transient errors so
 * the job's retry policy applies. While the LLM budget is spent the window waits for the next budget period.
 */
export const GEMINI_VIDEO_ENGINE = 'gemini_video';
/** Confidence given to what Gemini reports reading (above the synthesis' OCR threshold of 0.5). */
export const GEMINI_LINE_CONFIDENCE = 0.9;

export type GeminiWindow = {
  id: number;
  videoId: number;
  start: number;
  end: number;
  visualEvidence: WindowVisualEvidence | null;
};

export type GeminiVisualOutcome =
  | { kind: 'stored'; reused: boolean; evidence: WindowVisualEvidence }
  | { kind: 'none'; evidence: WindowVisualEvidence }
  | { kind: 'deferred'; until: Date; reason: string };

const seconds = (n: number) => String(Number(n.toFixed(1)));

/** The time a Gemini finding is filed under: the middle of the window, to a tenth of a second. */
export function representativeTime(win: { start: number; end: number }): number {
  return Math.round(((win.start + win.end) / 2) * 10) / 10;
}

/** The product as one label: brand and name, without repeating a brand the name already starts with. */
export function productLabel(p: { name: string; brand: string | null }): string {
  const name = p.name.trim();
  const brand = p.brand?.trim() ?? '';
  if (!brand || name.toLowerCase().startsWith(brand.toLowerCase())) return name || brand;
  return name ? `${brand} ${name}` : brand;
}

/**
 * Gemini's answer in the shape of a frame's findings: each on-screen line (trimmed, empty and repeated lines dropped)
 * an OCR line of engine gemini_video; each product shown a detection labelled with its brand and name. Gemini gives
 * no position, so lines have no box and detections an empty 0×0 box (nothing is cropped from it).
 */
export function toGeminiFinding(answer: WindowVideoAnswer, win: { start: number; end: number }): { t: number; ocrLines: OcrLine[]; detections: Detection[] } {
  const lines = [...new Set(answer.on_screen_text.map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean))];
  const labels = [...new Set(answer.products.map(productLabel).filter(Boolean))];
  return {
    t: representativeTime(win),
    ocrLines: lines.map((text) => ({ text, confidence: GEMINI_LINE_CONFIDENCE, engine: GEMINI_VIDEO_ENGINE })),
    detections: labels.map((label) => ({ label, score: GEMINI_LINE_CONFIDENCE, box: { x: 0, y: 0, width: 0, height: 0 } })),
  };
}

/** The sentence the window and its candidate carry about what Gemini saw. */
export function geminiEvidenceNote(answer: WindowVideoAnswer, win: { start: number; end: number }): string {
  const f = toGeminiFinding(answer, win);
  const span = `${seconds(win.start)}–${seconds(win.end)}초`;
  const products = answer.products
    .map((p) => `${productLabel(p)}${p.where.trim() ? ` (${p.where.trim()})` : ''}`)
    .filter(Boolean);
  const seen = f.ocrLines.length || products.length
    ? `화면 글자 ${f.ocrLines.length}줄을 읽었습니다${products.length ? ` · 본 제품: ${products.join(', ')}` : ''}`
    : '화면에서 제품 글자나 제품을 찾지 못했습니다';
  return `영상 파일 없음: Gemini가 YouTube 영상의 ${span} 구간을 보고 ${seen}.`;
}

const sameInterval = (a: { start: number; end: number } | undefined, b: { start: number; end: number }) =>
  !!a && Math.abs(a.start - b.start) < 0.01 && Math.abs(a.end - b.end) < 0.01;

/** Gemini already watched this window's current interval (its answer, possibly empty, is stored). */
export function alreadyWatched(win: GeminiWindow): boolean {
  return win.visualEvidence?.source === 'gemini_video' && sameInterval(win.visualEvidence.interval, win);
}

/**
 * Errors after which this window goes on without visual evidence: asking again cannot help (a refusal, an answer
 * still invalid after generateStructured's retries), or the job has no retry left. Others are rethrown.
 */
export function givesUp(err: unknown, finalAttempt: boolean): boolean {
  if (err instanceof LlmOutputError) return true; // generateStructured already asked `attempts` times
  if (err instanceof IntegrationError) return !err.retryable || finalAttempt;
  return err instanceof DomainError && err.code === 'not_configured';
}

export async function readWindowVisualsFromYoutube(
  win: GeminiWindow,
  youtubeUrl: string,
  opts: { finalAttempt: boolean },
): Promise<GeminiVisualOutcome> {
  if (alreadyWatched(win)) {
    log.info({ windowId: win.id, videoId: win.videoId }, 'window.visual: Gemini already watched this window; its answer is reused');
    return { kind: 'stored', reused: true, evidence: win.visualEvidence! };
  }
  const budget = await budgetStatus();
  if (budget.paused && budget.resumesAt) return { kind: 'deferred', until: new Date(budget.resumesAt), reason: budget.reason ?? 'LLM budget reached' };

  let answer: WindowVideoAnswer;
  try {
    answer = await generateStructured(windowVideoRequest({ youtubeUrl, start: win.start, end: win.end, videoId: win.videoId }));
  } catch (err) {
    if (!givesUp(err, opts.finalAttempt)) throw err;
    const why = errorMessage(err);
    log.warn({ windowId: win.id, videoId: win.videoId, err: why }, 'window.visual: Gemini could not watch the window; going on without visual evidence');
    const evidence: WindowVisualEvidence = {
      source: 'none',
      note: `화면 근거 없음: 영상 파일이 없고, Gemini가 YouTube 영상의 ${seconds(win.start)}–${seconds(win.end)}초 구간을 보지 못했습니다 (${why}).`,
    };
    await recordWindowVisualEvidence(win, evidence);
    return { kind: 'none', evidence };
  }

  const finding = toGeminiFinding(answer, win);
  const evidence: WindowVisualEvidence = {
    source: 'gemini_video',
    note: geminiEvidenceNote(answer, win),
    interval: { start: win.start, end: win.end },
    products: answer.products.map((p) => ({ name: p.name.trim(), brand: p.brand?.trim() || null, where: p.where.trim() })),
  };
  await recordWindowVisualEvidence(win, evidence, finding.ocrLines.length || finding.detections.length ? finding : null);
  log.info({ windowId: win.id, videoId: win.videoId, lines: finding.ocrLines.length, products: finding.detections.length }, 'window.visual: Gemini read the window from the YouTube URL');
  return { kind: 'stored', reused: false, evidence };
}

/**
 * Records where a window's visual evidence came from (or why it has none) together with its Gemini finding, if any,
 * in one transaction. The window's earlier frameless findings (only Gemini's rows have no frame) are replaced; frame
 * findings are analyze-window's and stay.
 */
export async function recordWindowVisualEvidence(
  win: { id: number; videoId: number },
  evidence: WindowVisualEvidence,
  finding: ReturnType<typeof toGeminiFinding> | null = null,
) {
  await transaction(async (tx) => {
    await tx.delete(visualFindings).where(and(eq(visualFindings.windowId, win.id), isNull(visualFindings.framePath)));
    if (finding) {
      const row = { sharpness: null, framePath: null, cropPath: null, isBest: false, ocrLines: finding.ocrLines, detections: finding.detections };
      await tx
        .insert(visualFindings)
        .values({ windowId: win.id, videoId: win.videoId, t: finding.t, ...row })
        .onConflictDoUpdate({ target: [visualFindings.windowId, visualFindings.t], set: row });
    }
    await tx.update(windows).set({ visualEvidence: evidence }).where(eq(windows.id, win.id));
  });
}
