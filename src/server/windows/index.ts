import { and, eq, inArray, notExists, sql } from 'drizzle-orm';
import { mergeWindows, windowsFromAnswer, windowsRequests } from '@/src/server/analysis/llm-windows';
import { findRecommendationWindowsByRules } from '@/src/server/analysis/recommendation-episodes';
import type { RecommendationWindow } from '@/src/server/analysis/types';
import { getDb, schema, transaction } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { generateStructured, geminiConfigured, LlmOutputError } from '@/src/server/integrations/gemini/client';
import { log } from '@/src/server/logger';
import { sendNext } from '@/src/server/queue';
import { getTranscript } from '@/src/server/transcripts';
import { findVideo, type VideoRow } from '@/src/server/videos/repo';
import { failVideo, failVideoWith, moveStage } from '@/src/server/videos/stage';
import { errorMessage } from '@/src/server/errors';

/**
 * The recommendation windows of a video: the unit of the window.visual and candidate.synthesize steps. This context
 * owns their rows and stages (visual → synthesize → done | failed); finding them is pass 1 (video.windows).
 */
const { windows, candidates, videos } = schema;
export type WindowRow = typeof windows.$inferSelect;

/**
 * The video.windows step: finds and stores a video's windows (or, when it already has them, sends their jobs again).
 * A malformed LLM answer fails the video with the reason, nothing half-written.
 */
export async function findVideoWindows(videoId: number): Promise<void> {
  const video = await findVideo(videoId);
  if (!video) return log.info({ videoId }, 'video.windows: video no longer exists');
  if (video.stage === 'visual') return void (await resumeWindows(video.id));
  if (video.stage !== 'windows') return log.info({ videoId, stage: video.stage }, 'video.windows: nothing to do');
  try {
    await findAndStoreWindows(video);
  } catch (err) {
    if (!(err instanceof LlmOutputError)) throw err;
    await failVideo(video.id, 'windows', 'upstream_failed', `Finding recommendation windows failed: ${err.message}. Retry the video.`);
  }
}

/**
 * Pass 1 (PRODUCT.md step 6): Gemini when configured, else the rule analyzer. Stores the windows by their natural key
 * (video, ordinal) — windows that already have candidates are kept, the others replaced — and moves the video to
 * `visual` (or `done` when there are none) in the same transaction as the `window.visual` jobs it causes.
 */
async function findAndStoreWindows(video: VideoRow): Promise<{ windows: number; method: 'rule' | 'llm' }> {
  const transcript = await getTranscript(video.id);
  if (!transcript) throw new DomainError('bad_request', `Video ${video.id} has no transcript yet; retry the transcript stage.`);
  const found: RecommendationWindow[] = geminiConfigured()
    ? await findWindowsWithLlm(transcript.segments, { videoId: video.id, title: video.title })
    : findRecommendationWindowsByRules(transcript.segments);
  const method = geminiConfigured() ? 'llm' : 'rule';
  await transaction(async (tx, client) => {
    const [locked] = await tx.select({ stage: videos.stage }).from(videos).where(eq(videos.id, video.id)).for('update');
    if (locked?.stage !== 'windows') return; // another delivery of this job got here first
    await tx
      .delete(windows)
      .where(
        and(
          eq(windows.videoId, video.id),
          notExists(tx.select({ one: sql`1` }).from(candidates).where(eq(candidates.windowId, windows.id))),
        ),
      );
    const kept = await tx.select().from(windows).where(eq(windows.videoId, video.id));
    const ids: number[] = [];
    for (const [i, w] of found.entries()) {
      const values = { videoId: video.id, ordinal: i + 1, start: w.start, end: w.end, reason: w.reason, confidence: w.confidence, signals: w.signals, method: w.method };
      const same = kept.find((k) => k.ordinal === i + 1);
      if (same) {
        await tx.update(windows).set({ ...values, visibleStart: null, visibleEnd: null, visualEvidence: null, stage: 'visual', error: null }).where(eq(windows.id, same.id));
        ids.push(same.id);
      } else {
        const [row] = await tx.insert(windows).values(values).returning({ id: windows.id });
        ids.push(row.id);
      }
    }
    const extra = kept.filter((k) => k.ordinal > found.length).map((k) => k.id);
    if (extra.length) await tx.update(windows).set({ stage: 'done' }).where(inArray(windows.id, extra));
    const to = ids.length || extra.length ? 'visual' : 'done';
    await moveStage(video.id, 'windows', to, { progress: to === 'done' ? 1 : 0.4 }, tx);
    for (const id of ids) await sendNext('video.windows', 'window.visual', { windowId: String(id) }, { client });
    if (to === 'done') await sendNext('video.windows', 'notify.digest', { videoId: String(video.id) }, { client });
  });
  log.info({ videoId: video.id, windows: found.length, method }, 'recommendation windows stored');
  return { windows: found.length, method };
}

/** Re-sends the jobs of windows still waiting (a crash between commit and send, or a retried video.windows). */
async function resumeWindows(videoId: number): Promise<number> {
  const rows = await getDb().select().from(windows).where(eq(windows.videoId, videoId));
  for (const w of rows) {
    if (w.stage === 'visual') await sendNext('video.windows', 'window.visual', { windowId: String(w.id) });
    if (w.stage === 'synthesize') await sendNext('video.windows', 'candidate.synthesize', { windowId: String(w.id) });
  }
  return rows.length;
}

export async function getWindow(id: number): Promise<WindowRow | undefined> {
  const [row] = await getDb().select().from(windows).where(eq(windows.id, id));
  return row;
}

export async function setWindowStage(id: number, from: WindowRow['stage'], to: WindowRow['stage']) {
  await getDb().update(windows).set({ stage: to, error: null }).where(and(eq(windows.id, id), eq(windows.stage, from)));
}

export async function failWindow(id: number, message: string) {
  await getDb().update(windows).set({ stage: 'failed', error: message.slice(0, 2000) }).where(eq(windows.id, id));
}

export async function windowsOfVideo(videoId: number) {
  return getDb().select().from(windows).where(eq(windows.videoId, videoId)).orderBy(windows.ordinal);
}



/** A window's step gave up: the window fails, and its video with "<what> of window n failed: <error>". */
export async function failWindowStep(id: number, stage: 'visual' | 'synthesize', what: string, err: unknown): Promise<void> {
  const win = await getWindow(id);
  if (!win) return;
  await failWindow(win.id, errorMessage(err));
  await failVideoWith(win.videoId, stage, `${what} of window ${win.ordinal} failed`, err);
}

/** LLM pass 1: each chunk's request to Gemini (analysis/llm-windows.ts builds them), windows merged across chunks. */
async function findWindowsWithLlm(segments: Parameters<typeof windowsRequests>[0], ctx: { videoId: number; title: string }): Promise<RecommendationWindow[]> {
  const found: RecommendationWindow[] = [];
  for (const { chunk, request } of windowsRequests(segments, ctx)) found.push(...windowsFromAnswer(chunk, await generateStructured(request)));
  return mergeWindows(found);
}
