import type { Job } from 'pg-boss';
import type { JobData, JobName } from '@/src/server/queue';

export { isPermanent } from '@/src/server/queue/job-errors';

export type JobContext = { jobId: string; attempt: number; isFinalAttempt: boolean };

export type WorkerDef<N extends JobName> = {
  queue: N;
  run(data: JobData<N>, ctx: JobContext): Promise<void>;
  /**
   * Called once when the job will not run again: after its last retry, or at once for an error that retrying cannot
   * fix (not_configured, bad_request, …). Records the failure where the operator sees it.
   */
  onGiveUp?(data: JobData<N>, err: unknown): Promise<void>;
};

export function defineWorker<N extends JobName>(def: WorkerDef<N>): WorkerDef<N> {
  return def;
}

export type AnyJob = Job<object> & { retryCount?: number; retryLimit?: number };
