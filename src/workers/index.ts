import { getConfig } from '@/src/server/config';
import { errorMessage, withoutQueryValues } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { getBoss, jobNames, jobs, type JobData, type JobName } from '@/src/server/queue';
import { isPermanent, type AnyJob, type WorkerDef } from './define';
import videoIngest from './video-ingest';
import notifyDigest from './notify-digest';
import notifyAlerts from './notify-alerts';
import notifyDailySummary from './notify-daily-summary';
import mediaCleanup from './media-cleanup';
import dbBackup from './db-backup';
import { budgetStatus, llmQueues, startBudgetWatch } from '@/src/server/ops/budgets';
import feedsPoll from './feeds-poll';
import feedsPollChannel from './feeds-poll-channel';
import channelsBackfill from './channels-backfill';
import videoMedia from './video-media';
import sheetsSync from './sheets-sync';
import videoTranscript from './video-transcript';
import videoWindows from './video-windows';
import windowVisual from './window-visual';
import candidateSynthesize from './candidate-synthesize';
import candidateMonetize from './candidate-monetize';
import candidateScore from './candidate-score';
import candidateReel from './candidate-reel';

/** One handler per queue, keyed by its name: the compiler refuses a missing queue, an unknown one or a wrong payload. */
const workers: { [N in JobName]: WorkerDef<N> } = {
  'feeds.poll': feedsPoll,
  'feeds.poll-channel': feedsPollChannel,
  'channels.backfill': channelsBackfill,
  'video.ingest': videoIngest,
  'video.media': videoMedia,
  'video.transcript': videoTranscript,
  'video.windows': videoWindows,
  'window.visual': windowVisual,
  'candidate.synthesize': candidateSynthesize,
  'candidate.monetize': candidateMonetize,
  'candidate.score': candidateScore,
  'candidate.reel': candidateReel,
  'notify.digest': notifyDigest,
  'notify.daily-summary': notifyDailySummary,
  'notify.alerts': notifyAlerts,
  'sheets.sync': sheetsSync,
  'media.cleanup': mediaCleanup,
  'db.backup': dbBackup,
};

/** The registry, read-only, for tests that run a worker by hand. */
export const workerRegistry: Readonly<typeof workers> = workers;

/** Each handler is registered under its own queue (a handler filed under another name would run the wrong step). */
function checkRegistry() {
  for (const name of jobNames) if (workers[name].queue !== name) throw new Error(`Worker for ${workers[name].queue} is registered as ${name}`);
}

/**
 * How this process's workers take a queue's jobs (policy in src/server/queue/jobs.ts): one job per fetch (each job
 * keeps its own claim, heartbeat, expiry and retries), `localConcurrency` fetch loops, polled every `pollSeconds`.
 * While NOTIFY is active pg-boss would wait notifyPollingIntervalSeconds (30 s by default) between fetches, after a
 * job too; it is set to the same interval so a backlog drains as fast with NOTIFY as without.
 */
export function workOptions(name: JobName) {
  const { policy } = jobs[name];
  return {
    batchSize: 1,
    localConcurrency: policy.concurrencySetting ? getConfig()[policy.concurrencySetting] : policy.concurrency,
    pollingIntervalSeconds: policy.pollSeconds,
    notifyPollingIntervalSeconds: policy.pollSeconds,
    includeMetadata: true,
  } as const;
}

async function handle<N extends JobName>(def: WorkerDef<N>, job: AnyJob) {
  const payload = jobs[def.queue].payload.parse(job.data) as JobData<N>;
  const attempt = (job.retryCount ?? 0) + 1;
  const isFinalAttempt = attempt > (job.retryLimit ?? 0);
  const started = Date.now();
  const ids = { job: def.queue, jobId: job.id, ...(payload as object) };
  try {
    await def.run(payload, { jobId: job.id, attempt, isFinalAttempt });
    log.info({ ...ids, ms: Date.now() - started }, 'job done');
  } catch (err) {
    const permanent = isPermanent(err);
    log.warn({ ...ids, attempt, permanent, err: errorMessage(err) }, 'job failed');
    if (permanent || isFinalAttempt) {
      await def.onGiveUp?.(payload, err).catch((e) => log.error({ ...ids, err: e }, 'onGiveUp failed'));
    }
    // pg-boss stores what is thrown (message and stack): never a failed statement's values
    if (!permanent) throw withoutQueryValues(err);
  }
}

/** Registers the workers this process should run: none for APP_ROLE=web, else all or WORKER_QUEUES. */
export async function startWorkers(): Promise<string[]> {
  const config = getConfig();
  checkRegistry();
  if (config.APP_ROLE === 'web') return [];
  const wanted = config.workerQueues;
  if (wanted) {
    const unknown = wanted.filter((q) => !jobNames.includes(q as JobName));
    if (unknown.length) throw new Error(`WORKER_QUEUES names unknown queues: ${unknown.join(', ')}`);
  }
  const boss = getBoss();
  const started: string[] = [];
  // LLM budget (src/server/budgets): LLM queues stay unregistered while the budget is spent, and a watcher
  // pauses/resumes them as periods change.
  const llmPausedAtStart = await budgetStatus().then((s) => s.paused, () => false);
  const llmHere: JobName[] = [];
  for (const name of jobNames) {
    const def: WorkerDef<JobName> = workers[name];
    if (wanted && !wanted.includes(def.queue)) continue;
    if (llmQueues().includes(def.queue)) {
      llmHere.push(def.queue);
      if (llmPausedAtStart) continue;
    }
    await boss.work(def.queue, workOptions(def.queue), async ([job]) => handle(def, job as AnyJob));
    started.push(def.queue);
  }
  await startBudgetWatch({
    queues: llmHere,
    paused: llmPausedAtStart,
    pause: (q) => boss.offWork(q),
    resume: async (q) => {
      const def: WorkerDef<JobName> = workers[q];
      await boss.work(q, workOptions(q), async ([job]) => handle(def, job as AnyJob));
    },
  });
  log.info({ role: config.APP_ROLE, queues: started }, 'workers started');
  return started;
}
