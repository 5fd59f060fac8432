import { and, eq, inArray, sql } from 'drizzle-orm';
import { now } from '@/src/server/clock';
import { getDb, schema, type Executor } from '@/src/server/db';
import type { VideoErrorCode, VideoStage } from '@/src/server/db/schema';
import { DomainError, errorMessage } from '@/src/server/errors';
import { IntegrationError } from '@/src/server/integrations/errors';
import { log } from '@/src/server/logger';
import { sendNext } from '@/src/server/queue';

/**
 * The one writer of a video's lifecycle after it is created: its stage, progress, error and timings. Moves are
 * guarded by the stage they leave (a job delivered twice moves the video once); every function takes an optional
 * transaction so a move commits with the rows and jobs that caused it.
 */
const { videos, windows, candidates } = schema;

/**
 * Moves a video from one stage to the next, only if it is still in the expected stage (a job delivered twice
 * moves it once). Records the seconds spent in the stage it leaves. Returns false when nothing changed.
 */
export async function moveStage(
  id: number,
  from: VideoStage | VideoStage[],
  to: VideoStage,
  extra: { progress?: number } = {},
  db: Executor = getDb(),
): Promise<boolean> {
  const fromList = Array.isArray(from) ? from : [from];
  const at = now();
  const res = await db
    .update(videos)
    .set({
      stage: to,
      progress: extra.progress ?? sql`${videos.progress}`,
      timings: sql`${videos.timings} || jsonb_build_object(${videos.stage}::text,
        round(extract(epoch from (${at.toISOString()}::timestamptz - coalesce(${videos.stageStartedAt}, ${videos.createdAt})))::numeric, 2))`,
      stageStartedAt: at,
      errorCode: null,
      errorMessage: null,
      failedStage: null,
    })
    .where(and(eq(videos.id, id), inArray(videos.stage, fromList)))
    .returning({ id: videos.id });
  return res.length > 0;
}

/** Marks a video failed in a stage, with an error the operator can act on. */
export async function failVideo(id: number, stage: VideoStage, code: VideoErrorCode, message: string, db: Executor = getDb()) {
  await db
    .update(videos)
    .set({ stage: 'failed', failedStage: stage, errorCode: code, errorMessage: message.slice(0, 2000) })
    .where(and(eq(videos.id, id), sql`${videos.stage} NOT IN ('done', 'skipped')`));
}

/** The video error code for an error that ended a stage: one mapping for every worker. */
export function videoErrorCode(err: unknown): VideoErrorCode {
  if (err instanceof DomainError) {
    if (err.code === 'not_configured') return 'not_configured';
    if (err.code === 'bad_request') return 'invalid_media';
    if (err.code === 'budget_exhausted') return 'budget_exhausted';
    if (err.code === 'insufficient_storage') return 'internal';
  }
  if (err instanceof IntegrationError && (err.status === 401 || err.status === 403)) return 'not_configured';
  return 'upstream_failed';
}

/** Fails a video in a stage because of an error: "<what>: <the error>", with the mapped code. */
export async function failVideoWith(id: number, stage: VideoStage, what: string, err: unknown, db: Executor = getDb()) {
  await failVideo(id, stage, videoErrorCode(err), `${what}: ${errorMessage(err)}`, db);
}

/**
 * Puts a failed video back in the stage to redo (retry from the console): error cleared, attempt counted. Returns
 * the row, or undefined when the video was not failed any more.
 */
export async function restoreFailedVideo(id: number, stage: VideoStage, tx: Executor) {
  const [row] = await tx
    .update(videos)
    .set({ stage, errorCode: null, errorMessage: null, failedStage: null, stageStartedAt: now(), attempts: sql`${videos.attempts} + 1` })
    .where(and(eq(videos.id, id), eq(videos.stage, 'failed')))
    .returning();
  return row;
}

/** A retried video with nothing left to redo in its window stages starts its analysis over from the transcript. */
export async function restartFromTranscript(id: number, tx: Executor) {
  await tx.update(videos).set({ stage: 'transcript' }).where(eq(videos.id, id));
}

/** A queued video that metadata shows is not to be analysed (a Short, a live broadcast): skipped with the rule. */
export async function skipQueuedVideo(id: number, skip: { rule: string; reason: string; isShort: boolean }, tx: Executor = getDb()): Promise<boolean> {
  const rows = await tx
    .update(videos)
    .set({ stage: 'skipped', skipRule: skip.rule, skipReason: skip.reason, isShort: skip.isShort })
    .where(and(eq(videos.id, id), eq(videos.stage, 'queued')))
    .returning({ id: videos.id });
  return rows.length > 0;
}

/** Jobs whose step can finish a video's analysis (they sync its stage from its windows and candidates). */
type SyncingJob = 'window.visual' | 'candidate.synthesize' | 'candidate.monetize' | 'candidate.score';

/** The digest of a finished video, sent by the step that finished it (each edge spelled out for the job table). */
const sendDigest: Record<SyncingJob, (videoId: string) => Promise<unknown>> = {
  'window.visual': (videoId) => sendNext('window.visual', 'notify.digest', { videoId }),
  'candidate.synthesize': (videoId) => sendNext('candidate.synthesize', 'notify.digest', { videoId }),
  'candidate.monetize': (videoId) => sendNext('candidate.monetize', 'notify.digest', { videoId }),
  'candidate.score': (videoId) => sendNext('candidate.score', 'notify.digest', { videoId }),
};

const ORDER: VideoStage[] = ['visual', 'synthesize', 'monetize', 'score', 'done'];

/**
 * Moves a video in the analysis part of its life (visual → synthesize → monetize → score → done) to the stage of its
 * least advanced window or candidate, never backwards. `done` means every window's chain has finished: each window
 * is done (or failed) and each candidate has been monetized and scored. Zero candidates is a valid done; reaching
 * done sends the video's digest.
 */
export async function syncVideoStage(videoId: number, from: SyncingJob): Promise<VideoStage | null> {
  const db = getDb();
  const [video] = await db.select({ stage: videos.stage, progress: videos.progress }).from(videos).where(eq(videos.id, videoId));
  if (!video || !ORDER.includes(video.stage)) return video?.stage ?? null;
  const [w] = await db
    .select({
      total: sql<number>`count(*)::int`,
      visual: sql<number>`count(*) filter (where ${windows.stage} = 'visual')::int`,
      synthesize: sql<number>`count(*) filter (where ${windows.stage} = 'synthesize')::int`,
    })
    .from(windows)
    .where(eq(windows.videoId, videoId));
  const [c] = await db
    .select({
      total: sql<number>`count(*)::int`,
      pending: sql<number>`count(*) filter (where ${candidates.coupangSearchStatus} = 'pending')::int`,
      unscored: sql<number>`count(*) filter (where ${candidates.scoreEvidence} is null)::int`,
    })
    .from(candidates)
    .where(eq(candidates.videoId, videoId));
  const target: VideoStage = w.visual ? 'visual' : w.synthesize ? 'synthesize' : c.pending ? 'monetize' : c.unscored ? 'score' : 'done';
  const windowsDone = w.total ? (w.total - w.visual - w.synthesize) / w.total : 1;
  const candidatesDone = c.total ? (c.total - c.unscored) / c.total : 1;
  const progress = Math.round((0.4 + 0.45 * (w.total ? (w.total - w.visual) / w.total * 0.5 + windowsDone * 0.5 : 1) + 0.15 * candidatesDone) * 100) / 100;
  if (ORDER.indexOf(target) > ORDER.indexOf(video.stage)) {
    // never backwards: the frame-by-frame progress of the visual stage may already be past this estimate
    const moved = await moveStage(videoId, video.stage, target, { progress: target === 'done' ? 1 : Math.max(progress, Number(video.progress ?? 0)) });
    if (moved) log.info({ videoId, from: video.stage, to: target }, target === 'done' ? 'video analysis done' : 'video stage advanced');
    // the Slack digest of the video's new candidates (it sends nothing when there are none or Slack is not set up)
    if (moved && target === 'done') await sendDigest[from](String(videoId));
    return moved ? target : video.stage;
  }
  await db.update(videos).set({ progress: sql`greatest(${videos.progress}, ${progress})` }).where(eq(videos.id, videoId));
  return video.stage;
}

/**
 * Progress inside the visual stage while a window is read (`fraction` of its frames done): the bar moves from 0.4
 * towards what syncVideoStage sets when the window is finished, frame by frame instead of sitting at 0.4. Windows
 * read side by side each report theirs; the bar never moves backwards and only while the video is in `visual`.
 */
export async function reportWindowProgress(videoId: number, fraction: number): Promise<void> {
  const db = getDb();
  const [w] = await db
    .select({ total: sql<number>`count(*)::int`, visual: sql<number>`count(*) filter (where ${windows.stage} = 'visual')::int` })
    .from(windows)
    .where(eq(windows.videoId, videoId));
  if (!w?.total) return;
  const read = (w.total - w.visual + Math.max(0, Math.min(1, fraction))) / w.total;
  const progress = Math.round((0.4 + 0.45 * 0.5 * read) * 1000) / 1000;
  await db
    .update(videos)
    .set({ progress: sql`greatest(${videos.progress}, ${progress})` })
    .where(and(eq(videos.id, videoId), eq(videos.stage, 'visual')));
}
