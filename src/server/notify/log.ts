import { and, eq, gt, sql } from 'drizzle-orm';
import { now } from '@/src/server/clock';
import { getDb, schema } from '@/src/server/db';

/**
 * Notifications sent are recorded as audit events (actor `system`, action `notify.*`), which makes every sender
 * idempotent: a job that runs twice sees what the first run already sent.
 */
export const SYSTEM = { userId: null, actor: 'system' } as const;

export async function recordNotification(action: string, target: string, detail: unknown): Promise<void> {
  await getDb().insert(schema.auditEvents).values({ at: now(), userId: null, actor: SYSTEM.actor, action, target, detail });
}

export async function sentSince(action: string, target: string, since: Date): Promise<boolean> {
  const [row] = await getDb()
    .select({ id: schema.auditEvents.id })
    .from(schema.auditEvents)
    .where(and(eq(schema.auditEvents.action, action), eq(schema.auditEvents.target, target), gt(schema.auditEvents.at, since)))
    .limit(1);
  return !!row;
}

/** Candidate ids already announced in a digest for this video. */
export async function announcedCandidateIds(videoId: number): Promise<Set<number>> {
  const rows = await getDb()
    .select({ detail: schema.auditEvents.detail })
    .from(schema.auditEvents)
    .where(and(eq(schema.auditEvents.action, 'notify.digest'), eq(schema.auditEvents.target, `video:${videoId}`)));
  const ids = new Set<number>();
  for (const r of rows) for (const id of ((r.detail as { candidateIds?: number[] })?.candidateIds ?? [])) ids.add(Number(id));
  return ids;
}

export const sqlNow = () => sql`${now().toISOString()}::timestamptz`;
