import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { getDb, schema, type Executor } from '@/src/server/db';

const { candidates, candidateReels, transcripts, videos, visualFindings } = schema;

export type ReelRow = typeof candidateReels.$inferSelect;

/** What a draft is made from: the candidate, its video's stored media and transcript. */
export async function loadReelSource(candidateId: number, db: Executor = getDb()) {
  const [row] = await db
    .select({
      candidate: candidates,
      video: {
        id: videos.id,
        mediaPath: videos.mediaPath,
        stage: videos.stage,
        sourceKind: videos.sourceKind,
        errorCode: videos.errorCode,
        errorMessage: videos.errorMessage,
        durationSeconds: videos.durationSeconds,
      },
    })
    .from(candidates)
    .innerJoin(videos, eq(videos.id, candidates.videoId))
    .where(eq(candidates.id, candidateId));
  return row ?? null;
}

export async function transcriptSegments(videoId: number, db: Executor = getDb()) {
  const [t] = await db.select({ segments: transcripts.segments }).from(transcripts).where(eq(transcripts.videoId, videoId));
  return t?.segments ?? [];
}

/** The analysed frames of the video inside [from, to], in time order. */
export async function findingsBetween(videoId: number, from: number, to: number, db: Executor = getDb()) {
  return db
    .select({ t: visualFindings.t, framePath: visualFindings.framePath, ocrLines: visualFindings.ocrLines, detections: visualFindings.detections })
    .from(visualFindings)
    .where(and(eq(visualFindings.videoId, videoId), gte(visualFindings.t, from), lte(visualFindings.t, to)))
    .orderBy(asc(visualFindings.t));
}

export async function reelOf(candidateId: number, db: Executor = getDb()): Promise<ReelRow | null> {
  const [r] = await db.select().from(candidateReels).where(eq(candidateReels.candidateId, candidateId));
  return r ?? null;
}

/** Queues a draft of this version and input: the row goes (back) to `queued`, the previous file stays until replaced. */
export async function markQueued(candidateId: number, version: number, inputKey: string, requestedBy: number | null, db: Executor = getDb()) {
  const values = { status: 'queued' as const, version, inputKey, error: null, requestedBy, startedAt: null, finishedAt: null, updatedAt: new Date() };
  await db
    .insert(candidateReels)
    .values({ candidateId, ...values })
    .onConflictDoUpdate({ target: candidateReels.candidateId, set: values });
}

export async function markRendering(candidateId: number, version: number, inputKey: string, db: Executor = getDb()) {
  const values = { status: 'rendering' as const, version, inputKey, error: null, startedAt: new Date(), finishedAt: null, updatedAt: new Date() };
  await db
    .insert(candidateReels)
    .values({ candidateId, ...values })
    .onConflictDoUpdate({ target: candidateReels.candidateId, set: values });
}

/** Records a finished draft, unless another version was asked for meanwhile (that one's job renders it). */
export async function markReady(
  candidateId: number,
  inputKey: string,
  file: { path: string; width: number; height: number; durationSec: number },
  db: Executor = getDb(),
): Promise<boolean> {
  const done = await db
    .update(candidateReels)
    .set({ status: 'ready', ...file, error: null, finishedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(candidateReels.candidateId, candidateId), eq(candidateReels.inputKey, inputKey)))
    .returning({ id: candidateReels.candidateId });
  return done.length > 0;
}

export async function markFailed(candidateId: number, error: string, db: Executor = getDb()) {
  await db
    .update(candidateReels)
    .set({ status: 'failed', error, finishedAt: new Date(), updatedAt: new Date() })
    .where(eq(candidateReels.candidateId, candidateId));
}
