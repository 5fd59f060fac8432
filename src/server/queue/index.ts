import { PgBoss, type SendOptions } from 'pg-boss';
import type { SqlClient } from '@/src/server/db';
import { getConfig } from '@/src/server/config';
import { getDatabaseUrl } from '@/src/server/db';
import { log } from '@/src/server/logger';
import { jobNames, jobs, type JobData, type JobName } from './jobs';

export { jobs, jobNames, type JobName, type JobData } from './jobs';

type QueueState = { boss: PgBoss };
const g = globalThis as unknown as { __influenceQueue?: Promise<QueueState>; __influenceQueueReady?: QueueState };

async function open(): Promise<QueueState> {
  const boss = new PgBoss({
    connectionString: getDatabaseUrl(),
    schema: 'pgboss',
    application_name: `influence-item:${getConfig().APP_ROLE}:boss`,
    max: 6,
    // The supervisor notices missed heartbeats and expired jobs; run it often so a crashed job retries within ~1 min.
    superviseIntervalSeconds: 15,
    monitorIntervalSeconds: 15,
    maintenanceIntervalSeconds: 60,
  } as ConstructorParameters<typeof PgBoss>[0]);
  boss.on('error', (err: unknown) => log.error({ err }, 'queue error'));
  await boss.start();
  for (const name of jobNames) {
    const { policy } = jobs[name];
    const options = {
      policy: 'stately' as const,
      retryLimit: policy.retryLimit,
      retryDelay: policy.retryDelay,
      retryBackoff: policy.retryBackoff,
      retryDelayMax: 600,
      expireInSeconds: policy.expireInSeconds,
      heartbeatSeconds: policy.heartbeatSeconds,
      deleteAfterSeconds: 7 * 24 * 3600,
    };
    if (await boss.getQueue(name)) {
      const { policy: _fixedAtCreation, ...changeable } = options;
      await boss.updateQueue(name, changeable);
    } else await boss.createQueue(name, options);
  }
  const state = { boss };
  g.__influenceQueueReady = state;
  log.info({ queues: jobNames.length }, 'queue ready');
  return state;
}

/** Starts pg-boss and creates every queue of the registry. Needs the database started. */
export function startQueue(): Promise<QueueState> {
  g.__influenceQueue ??= open().catch((e) => {
    g.__influenceQueue = undefined;
    throw e;
  });
  return g.__influenceQueue;
}

export function getBoss(): PgBoss {
  const s = g.__influenceQueueReady;
  if (!s) throw new Error('Queue not started: call startQueue() first.');
  return s.boss;
}

export function queueStarted(): boolean {
  return !!g.__influenceQueueReady;
}

/**
 * The only way to send a job: validates the payload and deduplicates by the job's natural key
 * (a second `video.media` for a video already queued is dropped).
 */
export async function enqueue<N extends JobName>(
  name: N,
  data: JobData<N>,
  options: { startAfter?: Date | number; priority?: number; client?: SqlClient } = {},
): Promise<string | null> {
  const def = jobs[name];
  const payload = def.payload.parse(data);
  const singletonKey = (def.key as (d: unknown) => string | undefined)(payload);
  const sendOptions: SendOptions = { singletonKey };
  if (options.priority !== undefined) sendOptions.priority = options.priority;
  if (options.startAfter !== undefined) sendOptions.startAfter = options.startAfter as Date;
  // Inside a transaction the job commits (or rolls back) together with the rows that caused it.
  if (options.client) sendOptions.db = { executeSql: (text: string, values?: unknown[]) => options.client!.query(text, values) };
  const id = await getBoss().send(name, payload as object, sendOptions);
  log.debug({ job: name, jobId: id, key: singletonKey }, id ? 'job enqueued' : 'job already queued');
  return id;
}

/** Finishes running jobs (up to the timeout), then releases the rest for other workers. */
export async function stopQueue(timeoutMs = 20000): Promise<void> {
  const s = g.__influenceQueueReady;
  g.__influenceQueue = undefined;
  g.__influenceQueueReady = undefined;
  if (!s) return;
  await s.boss.stop({ graceful: true, timeout: timeoutMs, close: true } as Parameters<PgBoss['stop']>[0]);
}
