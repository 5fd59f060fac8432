import { eq, sql } from 'drizzle-orm';
import { getDb, schema } from '@/src/server/db';
import type { VideoStage } from '@/src/server/db/schema';
import { log } from '@/src/server/logger';
import { moveStage } from '@/src/server/videos';

const { videos, windows, candidates } = schema;
const ORDER: VideoStage[] = ['visual', 'synthesize', 'monetize', 'score', 'done'];

/**
 * Moves a video in the analysis part of its life (visual → synthesize → monetize → score → done) to the stage of its
 * least advanced window or candidate, never backwards. `done` means every window's chain has finished: each window
 * is done (or failed) and each candidate has been monetized and scored. Zero candidates is a valid done.
 */
export async function syncVideoStage(videoId: number): Promise<VideoStage | null> {
  const db = getDb();
  const [video] = await db.select({ stage: videos.stage }).from(videos).where(eq(videos.id, videoId));
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
    const moved = await moveStage(videoId, video.stage, target, { progress: target === 'done' ? 1 : progress });
    if (moved) log.info({ videoId, from: video.stage, to: target }, target === 'done' ? 'video analysis done' : 'video stage advanced');
    return moved ? target : video.stage;
  }
  await db.update(videos).set({ progress: sql`greatest(${videos.progress}, ${progress})` }).where(eq(videos.id, videoId));
  return video.stage;
}
