/** The queue context: pg-boss (boss.ts), the job table (jobs.ts), and sending jobs (send.ts, enqueue.ts). */
export { startQueue, getBoss, queueStarted, stopQueue } from './boss';
export { jobs, jobNames, isJobName, type JobName, type JobData, type NextOf, type ConsoleJob } from './jobs';
export { sendNext, startJob } from './send';
export { enqueue, type EnqueueOptions } from './enqueue';
