import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { getDb, schema, type Executor } from '@/src/server/db';
import type { VideoStage } from '@/src/server/db/schema';

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
