import type { Job } from 'pg-boss';
import { DomainError } from '@/src/server/errors';
import { IntegrationError } from '@/src/server/integrations/errors';
import type { JobData, JobName } from '@/src/server/queue';

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

/** Errors that no retry can fix: the job stops at once and the failure is recorded. */
export function isPermanent(err: unknown): boolean {
  // An external service's refusal that its own policy would not retry (400 invalid request, 401 bad key, …) answers
  // the same on the next attempt: the job stops and the operator fixes the cause, then retries from the console.
  if (err instanceof IntegrationError) return !err.retryable;
  return (
    err instanceof DomainError &&
    ['bad_request', 'not_found', 'not_configured', 'invalid_transition', 'forbidden', 'payload_too_large'].includes(err.code)
  );
}

export type AnyJob = Job<object> & { retryCount?: number; retryLimit?: number };
