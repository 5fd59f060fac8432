import { enqueue, type EnqueueOptions } from './enqueue';
import { jobs, type ConsoleJob, type JobData, type JobName, type NextOf } from './jobs';

/**
 * The two ways a job is sent, both checked against the job table (src/server/queue/jobs.ts): a step sends the job
 * that comes next (`sendNext(from, to, …)`: `to` must be in `from`'s `next`), an operator or the API starts one
 * (`startJob`: the queue must be marked `console`). The compiler checks the names; the check here catches a name
 * built at run time. Inside a transaction pass its client: the job commits with the rows that caused it.
 */
export async function sendNext<From extends JobName, To extends NextOf<From>>(from: From, to: To, data: JobData<To>, options: EnqueueOptions = {}) {
  if (!(jobs[from].next as readonly string[]).includes(to)) throw new Error(`A ${from} job may not send ${to}: add it to ${from}.next in src/server/queue/jobs.ts`);
  return enqueue(to, data, options);
}

export async function startJob<N extends ConsoleJob>(name: N, data: JobData<N>, options: EnqueueOptions = {}) {
  if (!(jobs[name] as { console?: true }).console) throw new Error(`${name} is not started from the console or API (src/server/queue/jobs.ts)`);
  return enqueue(name, data, options);
}
