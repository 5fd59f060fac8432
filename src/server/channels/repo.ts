import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { getDb, schema, type Executor } from '@/src/server/db';
import type { BackfillState } from '@/src/server/db/schema/channels';

const { channels, celebrities, videos } = schema;
export type ChannelRow = typeof channels.$inferSelect;
export type CelebrityRow = typeof celebrities.$inferSelect;

export async function findChannel(id: number, db: Executor = getDb()): Promise<ChannelRow | undefined> {
  const [row] = await db.select().from(channels).where(eq(channels.id, id));
  return row;
}

/** Records how the channel's latest backfill is going (a patch over the stored state). */
export async function setBackfillState(id: number, patch: Partial<BackfillState>, db: Executor = getDb()): Promise<void> {
  await db
    .update(channels)
    .set({ backfill: sql`coalesce(${channels.backfill}, '{}'::jsonb) || ${JSON.stringify(patch)}::jsonb` })
    .where(eq(channels.id, id));
}

export async function findChannelByYoutubeId(youtubeChannelId: string, db: Executor = getDb()): Promise<ChannelRow | undefined> {
  const [row] = await db.select().from(channels).where(eq(channels.youtubeChannelId, youtubeChannelId));
  return row;
}

export async function listChannelRows(f: { status?: ChannelRow['status']; kind?: ChannelRow['kind']; celebrityId?: number; beforeId?: number; limit: number }) {
  const where: SQL[] = [];
  if (f.status) where.push(eq(channels.status, f.status));
  if (f.kind) where.push(eq(channels.kind, f.kind));
  if (f.celebrityId) where.push(eq(channels.celebrityId, f.celebrityId));
  if (f.beforeId) where.push(lt(channels.id, f.beforeId));
  return getDb()
    .select()
    .from(channels)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(channels.id))
    .limit(f.limit);
}

/** Ids of active channels after `afterId`, in id order (feed fan-out pages through them). */
export async function activeChannelIds(afterId: number, limit: number): Promise<number[]> {
  const rows = await getDb()
    .select({ id: channels.id })
    .from(channels)
    .where(and(eq(channels.status, 'active'), sql`${channels.id} > ${afterId}`))
    .orderBy(channels.id)
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Video counts per channel and stage group, for the channel list. */
export async function videoCountsByChannel(ids: number[]): Promise<Map<number, { total: number; skipped: number; failed: number; done: number }>> {
  const out = new Map<number, { total: number; skipped: number; failed: number; done: number }>();
  if (!ids.length) return out;
  const rows = await getDb()
    .select({
      channelId: videos.channelId,
      total: sql<number>`count(*)::int`,
      skipped: sql<number>`count(*) filter (where ${videos.stage} = 'skipped')::int`,
      failed: sql<number>`count(*) filter (where ${videos.stage} = 'failed')::int`,
      done: sql<number>`count(*) filter (where ${videos.stage} = 'done')::int`,
    })
    .from(videos)
    .where(inArray(videos.channelId, ids))
    .groupBy(videos.channelId);
  for (const r of rows) if (r.channelId !== null) out.set(r.channelId, { total: r.total, skipped: r.skipped, failed: r.failed, done: r.done });
  return out;
}

export async function findCelebrity(id: number, db: Executor = getDb()): Promise<CelebrityRow | undefined> {
  const [row] = await db.select().from(celebrities).where(eq(celebrities.id, id));
  return row;
}

export async function allCelebrities(db: Executor = getDb()): Promise<CelebrityRow[]> {
  return db.select().from(celebrities).orderBy(celebrities.name);
}

export async function listCelebrityRows(f: { beforeId?: number; limit: number }) {
  return getDb()
    .select()
    .from(celebrities)
    .where(f.beforeId ? lt(celebrities.id, f.beforeId) : undefined)
    .orderBy(desc(celebrities.id))
    .limit(f.limit);
}
