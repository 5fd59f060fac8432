import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { now } from '@/src/server/clock';
import { getDb, schema, type Executor } from '@/src/server/db';
import type { VideoErrorCode, VideoStage } from '@/src/server/db/schema';

const { videos } = schema;
export type VideoRow = typeof videos.$inferSelect;

export async function findVideo(id: number, db: Executor = getDb()): Promise<VideoRow | undefined> {
  const [row] = await db.select().from(videos).where(eq(videos.id, id));
  return row;
}

export async function listVideoRows(f: { channelId?: number; stage?: VideoStage; beforeId?: number; limit: number }) {
  const where: SQL[] = [];
  if (f.channelId) where.push(eq(videos.channelId, f.channelId));
  if (f.stage) where.push(eq(videos.stage, f.stage));
  if (f.beforeId) where.push(lt(videos.id, f.beforeId));
  return getDb()
    .select()
    .from(videos)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(videos.id))
    .limit(f.limit);
}

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
