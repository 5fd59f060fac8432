import { and, count, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import { candidateTabNames, candidateTabs } from '@/src/server/candidates/schemas';
import { getDb, schema, type Executor } from '@/src/server/db';
import type { VideoStage } from '@/src/server/db/schema';

const { videos, candidates } = schema;
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

/** How many videos match, and how many of them failed (the 영상 page's filter counts). */
export async function countVideoRows(f: { channelId?: number }) {
  const where = f.channelId ? eq(videos.channelId, f.channelId) : undefined;
  const [[all], [failed]] = await Promise.all([
    getDb().select({ n: count() }).from(videos).where(where),
    getDb()
      .select({ n: count() })
      .from(videos)
      .where(and(eq(videos.stage, 'failed'), where)),
  ]);
  return { all: all.n, failed: failed.n };
}

/**
 * Each video's candidates: how many, and the 후보 tab to open for them (the first tab, in the console's order, that
 * holds one of them), so a video links straight to its candidates.
 */
export async function candidateSummaries(videoIds: number[]): Promise<Map<number, { total: number; tab: string | null }>> {
  const out = new Map<number, { total: number; tab: string | null }>();
  if (!videoIds.length) return out;
  const rows = await getDb()
    .select({ videoId: candidates.videoId, status: candidates.currentStatus, n: count() })
    .from(candidates)
    .where(inArray(candidates.videoId, videoIds))
    .groupBy(candidates.videoId, candidates.currentStatus);
  const byVideo = new Map<number, Map<string, number>>();
  for (const r of rows) {
    const m = byVideo.get(r.videoId) ?? new Map<string, number>();
    m.set(r.status, r.n);
    byVideo.set(r.videoId, m);
  }
  for (const id of videoIds) {
    const m = byVideo.get(id);
    const total = m ? [...m.values()].reduce((a, b) => a + b, 0) : 0;
    const tab = m ? (candidateTabNames.find((t) => (candidateTabs[t] as readonly string[]).some((s) => (m.get(s) ?? 0) > 0)) ?? null) : null;
    out.set(id, { total, tab });
  }
  return out;
}
