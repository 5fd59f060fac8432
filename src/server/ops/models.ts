import { getConfig } from '@/src/server/config';
import { log } from '@/src/server/logger';
import type { JobName } from '@/src/server/queue/jobs';
import {
  autoFetchOptionsFromConfig,
  modelFetchStatuses,
  retryModelFetch,
  startModelAutoFetch,
  stopModelAutoFetch,
  type ModelFetchStatus,
  type ModelKind,
} from '@/src/models/auto-fetch';

/**
 * Models on first start, as the server sees it: which models this process needs follows the jobs it runs
 * (window.visual → detector, video.transcript → Whisper; none for APP_ROLE=web), and the download itself is
 * src/models/auto-fetch.ts. Called from instrumentation.ts after start-up; never blocks or throws.
 */
function neededHere(): Record<ModelKind, boolean> {
  const c = getConfig();
  const runs = (queue: JobName) => c.APP_ROLE !== 'web' && (!c.workerQueues || c.workerQueues.includes(queue));
  return { detector: runs('window.visual'), whisper: runs('video.transcript') };
}

/** Starts the background download of missing models (see MODELS_AUTO_FETCH); returns at once. */
export function startModelDownloads(): void {
  try {
    void startModelAutoFetch(autoFetchOptionsFromConfig(neededHere()));
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'models: background download not started');
  }
}

/** The 운영 page's "다시 받기": a new background attempt for missing models (after offline, stalled, …), unless one
 * is running; returns the states right after it started. */
export async function retryModelDownloads(): Promise<ModelFetchStatus[]> {
  // Asked for explicitly: also the models no job here uses (a web process whose MODELS_DIR the workers share shows
  // their failures and fetches for them); MODELS_AUTO_FETCH still says which models may be fetched.
  void retryModelFetch(autoFetchOptionsFromConfig({ detector: true, whisper: true }));
  return modelFetchStatuses();
}

export const stopModelDownloads = stopModelAutoFetch;
export { modelFetchStatuses, type ModelFetchStatus };
