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
  /** Pauses when the LLM budget is reached. */
  usesLlm?: boolean;
};

const quick: QueuePolicy = { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 120, heartbeatSeconds: 20, concurrency: 4 };
const heavy: QueuePolicy = { retryLimit: 3, retryDelay: 15, retryBackoff: true, expireInSeconds: 1800, heartbeatSeconds: 20, concurrency: 1 };
const external: QueuePolicy = { retryLimit: 6, retryDelay: 30, retryBackoff: true, expireInSeconds: 300, heartbeatSeconds: 20, concurrency: 2 };

function job<S extends z.ZodType>(payload: S, key: (d: z.infer<S>) => string | undefined, policy: QueuePolicy) {
  return { payload, key, policy };
}

export const jobs = {
  'feeds.poll': job(z.object({}).passthrough(), () => 'all', quick),
  'feeds.poll-channel': job(z.object({ channelId: id }), (d) => `channel:${d.channelId}`, external),
  'channels.backfill': job(
    z.object({ channelId: id, from: z.string(), to: z.string() }),
    (d) => `channel:${d.channelId}:${d.from}:${d.to}`,
    external,
  ),
  'video.ingest': job(videoJob, (d) => `video:${d.videoId}`, quick),
  'video.media': job(videoJob, (d) => `video:${d.videoId}`, heavy),
  'video.transcript': job(videoJob, (d) => `video:${d.videoId}`, { ...heavy, usesLlm: true }),
  'video.windows': job(videoJob, (d) => `video:${d.videoId}`, { ...external, usesLlm: true }),
  'window.visual': job(z.object({ windowId: id }), (d) => `window:${d.windowId}`, heavy),
  'candidate.synthesize': job(z.object({ windowId: id }), (d) => `window:${d.windowId}`, { ...external, usesLlm: true }),
  'candidate.monetize': job(z.object({ candidateId: id }), (d) => `candidate:${d.candidateId}`, external),
  'candidate.score': job(z.object({ candidateId: id }), (d) => `candidate:${d.candidateId}`, quick),
  'notify.digest': job(videoJob, (d) => `video:${d.videoId}`, external),
  'notify.daily-summary': job(z.object({}).passthrough(), () => 'daily', external),
  'notify.alerts': job(z.object({}).passthrough(), () => 'alerts', external),
  'sheets.sync': job(z.object({}).passthrough(), () => 'sheets', external),
  'media.cleanup': job(z.object({}).passthrough(), () => 'cleanup', quick),
  'db.backup': job(z.object({}).passthrough(), () => 'backup', heavy),
} as const;

export type JobName = keyof typeof jobs;
export type JobData<N extends JobName> = z.infer<(typeof jobs)[N]['payload']>;
export const jobNames = Object.keys(jobs) as JobName[];

export function isJobName(name: string): name is JobName {
  return name in jobs;
}
