import { z } from 'zod';

/**
 * Every queue, once: name (`<entity>.<verb>`), payload schema, the natural key that deduplicates it, and its
 * retry/expiry policy. Crash recovery: every queue has a heartbeat, so a job whose process died (kill -9) is
 * retried within about a minute even when its expiry is long.
 */
const id = z.string().regex(/^\d+$/, 'expected a numeric id');
const videoJob = z.object({ videoId: id });

type QueuePolicy = {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds: number;
  heartbeatSeconds: number;
  /** Jobs of this queue handled at once by one process. */
  concurrency: number;
  /** A setting that replaces `concurrency` (bounded in src/server/config.ts). */
  concurrencySetting?: 'FEED_POLL_CONCURRENCY' | 'VISUAL_CONCURRENCY';
  /**
   * pg-boss `pollingIntervalSeconds` (at least 0.5, pg-boss's minimum): how long a worker waits before its next fetch,
   * when the queue was empty and also after each job (less the job's own time). With `notify` it is only the
   * backstop for an idle queue, but it still paces a backlog: one job per worker per interval at most.
   */
  pollSeconds: number;
  /**
   * A job sent to this queue wakes its idle workers at once (Postgres LISTEN/NOTIFY, pg-boss `notify`): the next step
   * starts within milliseconds of the send instead of at the next poll. Where NOTIFY is unavailable (PgBouncer in
   * transaction mode) pg-boss warns and the queue is polled every `pollSeconds`.
   */
  notify: boolean;
  /** Pauses when the LLM budget is reached. */
  usesLlm?: boolean;
};

/**
 * Hand-off (measured with bench/feeds-poll.ts): pipeline queues are woken by NOTIFY and polled every 0.5 s (pg-boss's
 * minimum), so a step starts right after the one before sends it, and a backlog still moves at 2 jobs/s per worker
 * when a job takes less than that. Queues only a cron starts are polled every 5 s: a minute-granular schedule needs no
 * more, and it keeps an idle process's queue polling down.
 */
const handOff = { pollSeconds: 0.5, notify: true } as const;
const cronOnly = { pollSeconds: 5, notify: true } as const;

const quick: QueuePolicy = { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 120, heartbeatSeconds: 20, concurrency: 4, ...handOff };
const heavy: QueuePolicy = { retryLimit: 3, retryDelay: 15, retryBackoff: true, expireInSeconds: 1800, heartbeatSeconds: 20, concurrency: 1, ...handOff };
const external: QueuePolicy = { retryLimit: 6, retryDelay: 30, retryBackoff: true, expireInSeconds: 300, heartbeatSeconds: 20, concurrency: 2, ...handOff };
/**
 * One channel's feed poll: mostly waiting on YouTube (two small requests at most), so many run at once
 * (FEED_POLL_CONCURRENCY, default 16: ~1,000 channels in well under a minute against a 20 ms feed); each channel is
 * still its own job with its own retries.
 */
const feedPoll: QueuePolicy = { ...external, concurrencySetting: 'FEED_POLL_CONCURRENCY' };
/**
 * A window's frames, detector and OCR: CPU-bound, so one process runs as many at once as it has cores
 * (VISUAL_CONCURRENCY, default the core count): inference runs on onnxruntime's and Tesseract's own threads and the
 * decode in ffmpeg, so a second job keeps the other core busy while the first waits on either.
 */
const visual: QueuePolicy = { ...heavy, concurrencySetting: 'VISUAL_CONCURRENCY' };

/**
 * How a queue's jobs come to be: `next` lists the queues its own step may send (sendNext checks it, the job graph in
 * docs/ARCHITECTURE.md is drawn from it); `cron` marks a schedule root; `console` a queue an operator or the API
 * may start directly (submit, retry, poll now, search now, sync now).
 */
type Edges = { next: readonly string[]; cron?: true; console?: true };

function job<S extends z.ZodType, const E extends Edges>(payload: S, key: (d: z.infer<S>) => string | undefined, policy: QueuePolicy, edges: E) {
  return { payload, key, policy, ...edges };
}

export const jobs = {
  'feeds.poll': job(z.object({}).passthrough(), () => 'all', quick, { next: ['feeds.poll-channel'], cron: true, console: true }),
  'feeds.poll-channel': job(z.object({ channelId: id }), (d) => `channel:${d.channelId}`, feedPoll, { next: ['video.ingest'], console: true }),
  'channels.backfill': job(
    z.object({ channelId: id, from: z.string(), to: z.string() }),
    (d) => `channel:${d.channelId}:${d.from}:${d.to}`,
    external,
    // after the YouTube quota runs out the backfill sends itself again for when it resets
    { next: ['video.ingest', 'channels.backfill'], console: true },
  ),
  'video.ingest': job(videoJob, (d) => `video:${d.videoId}`, quick, { next: ['video.media'], console: true }),
  'video.media': job(videoJob, (d) => `video:${d.videoId}`, heavy, { next: ['video.transcript'], console: true }),
  'video.transcript': job(videoJob, (d) => `video:${d.videoId}`, { ...heavy, usesLlm: true }, { next: ['video.windows'], console: true }),
  'video.windows': job(videoJob, (d) => `video:${d.videoId}`, { ...external, usesLlm: true }, { next: ['window.visual', 'candidate.synthesize', 'notify.digest'], console: true }),
  // while the LLM budget is spent, a window that needs Gemini sends itself again for when it resumes
  'window.visual': job(z.object({ windowId: id }), (d) => `window:${d.windowId}`, visual, { next: ['candidate.synthesize', 'window.visual', 'notify.digest'], console: true }),
  'candidate.synthesize': job(z.object({ windowId: id }), (d) => `window:${d.windowId}`, { ...external, usesLlm: true }, { next: ['candidate.monetize', 'candidate.score', 'notify.digest'], console: true }),
  // a search postponed by the hourly Coupang limit sends itself again for when a slot frees up
  'candidate.monetize': job(z.object({ candidateId: id }), (d) => `candidate:${d.candidateId}`, external, { next: ['candidate.score', 'candidate.monetize', 'notify.digest'], console: true }),
  'candidate.score': job(z.object({ candidateId: id }), (d) => `candidate:${d.candidateId}`, quick, { next: ['notify.digest'], console: true }),
  // the vertical Reel draft of an approved candidate (issue 16): started by approval or the console's re-render
  'candidate.reel': job(z.object({ candidateId: id }), (d) => `candidate:${d.candidateId}`, heavy, { next: [], console: true }),
  'notify.digest': job(videoJob, (d) => `video:${d.videoId}`, external, { next: [] }),
  'notify.daily-summary': job(z.object({}).passthrough(), () => 'daily', { ...external, ...cronOnly }, { next: [], cron: true }),
  'notify.alerts': job(z.object({}).passthrough(), () => 'alerts', { ...external, ...cronOnly }, { next: [], cron: true }),
  'sheets.sync': job(z.object({}).passthrough(), () => 'sheets', { ...external, ...cronOnly }, { next: [], cron: true }),
  'media.cleanup': job(z.object({}).passthrough(), () => 'cleanup', { ...quick, ...cronOnly }, { next: [], cron: true }),
  'db.backup': job(z.object({}).passthrough(), () => 'backup', { ...heavy, ...cronOnly }, { next: [], cron: true }),
} as const;

export type JobName = keyof typeof jobs;
export type JobData<N extends JobName> = z.infer<(typeof jobs)[N]['payload']>;
export const jobNames = Object.keys(jobs) as JobName[];

export function isJobName(name: string): name is JobName {
  // Own keys only: `'__proto__' in jobs` or `'constructor' in jobs` is true too (a 500 from pg-boss for such a queue).
  return Object.hasOwn(jobs, name);
}

/** The queues a job of `From` may send. */
export type NextOf<From extends JobName> = Extract<(typeof jobs)[From]['next'][number], JobName>;
/** The queues an operator or the API may start directly. */
export type ConsoleJob = { [N in JobName]: (typeof jobs)[N] extends { console: true } ? N : never }[JobName];
