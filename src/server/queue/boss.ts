import { PgBoss } from 'pg-boss';
import { getConfig } from '@/src/server/config';
import { getDatabaseUrl, noteDatabaseError } from '@/src/server/db';
import { log } from '@/src/server/logger';
import { jobNames, jobs } from './jobs';


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
    // One listening connection: a job sent to a queue with `notify` (jobs.ts) wakes its idle workers at once.
    useListenNotify: true,
  } as ConstructorParameters<typeof PgBoss>[0]);
  // pg-boss emits an error per failed poll of every worker (dozens a second while the database is down): connection
  // errors go to the database watch, which logs the outage once; workers keep polling and resume when it is back.
  boss.on('error', (err: unknown) => noteDatabaseError(err) || log.error({ err }, 'queue error'));
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
      notify: policy.notify,
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

/** Finishes running jobs (up to the timeout), then releases the rest for other workers. */
export async function stopQueue(timeoutMs = 20000): Promise<void> {
  const s = g.__influenceQueueReady;
  g.__influenceQueue = undefined;
  g.__influenceQueueReady = undefined;
  if (!s) return;
  await s.boss.stop({ graceful: true, timeout: timeoutMs, close: true } as Parameters<PgBoss['stop']>[0]);
}
