import type { SendOptions } from 'pg-boss';
import type { SqlClient } from '@/src/server/db';
import { log } from '@/src/server/logger';
import { getBoss } from './boss';
import { jobs, type JobData, type JobName } from './jobs';

export type EnqueueOptions = { startAfter?: Date | number; priority?: number; client?: SqlClient };

/**
 * Sends a job: validates the payload and deduplicates by the job's natural key
 * (a second `video.media` for a video already queued is dropped). Production code sends through sendNext or
 * startJob (send.ts), which check the job table; tests may call it directly.
 */
export async function enqueue<N extends JobName>(
  name: N,
  data: JobData<N>,
  options: EnqueueOptions = {},
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

