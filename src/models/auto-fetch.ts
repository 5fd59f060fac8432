import { setTimeout as sleep } from 'node:timers/promises';
import { fetchItem, type FetchFailureReason } from '@/src/models/fetch';
import { readLock, readResult, tryAcquireFetchLock, type HeldLock } from '@/src/models/fetch-lock';
import {
  missingOf,
  modelFetchStatuses,
  modelSpecs,
  stores,
  type FetchOptionsBase,
  type ModelFetchProgress,
  type ModelFetchStatus,
  type ModelKind,
  type ModelSpec,
  type Store,
} from '@/src/models/model-fetch-status';
import { missingFiles, whisperDtype } from '@/src/models/registry';
import { getConfig } from '@/src/server/config';
import { log } from '@/src/server/logger';

export { modelFetchRequests, modelFetchStatuses } from '@/src/models/model-fetch-status';
export type { ModelFetchProgress, ModelFetchReason, ModelFetchState, ModelFetchStatus, ModelKind } from '@/src/models/model-fetch-status';

/**
 * Models on first start: a serving process downloads the model files it is missing in the background (never
 * blocking start-up or health), one model after the other, through fetch.ts (temp file + rename, sha256 checked).
 *
 * Per model and per process a small state machine (model-fetch-status.ts), read by /api/health and the 운영 page:
 *   present · queued → downloading (bytes, percent) → present | failed (offline, checksum_mismatch, stalled,
 *   http_status, error) · missing (auto fetch off, or Whisper excluded) · not_needed (no job here uses it).
 * Offline (the host cannot be reached) ends the run with one log line: the remaining models are marked offline
 * without being tried, and nothing is retried in this process until `retryModelFetch()` (the 운영 page's button)
 * or the next start. A stalled or corrupt download is discarded and reported, never installed.
 * Only the process holding the folder's lock (fetch-lock.ts) downloads; the others show its progress and adopt its
 * outcome. Inference modules check for their files on every call, so a finished download is used without restart.
 */
type Logger = Pick<typeof log, 'info' | 'warn'>;
const rel = (spec: ModelSpec, relPath: string) => relPath.slice(spec.dir.length + 1);
const STOPPED = 'stopped at shutdown';

export interface AutoFetchOptions extends FetchOptionsBase {
  stallTimeoutMs: number;
  /** Lock timing and how often a waiting process looks at the lock (tests shorten them). */
  lockStaleMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
  logger?: Logger;
}

/** The options a serving process uses, from the configuration; `needed` comes from the jobs it runs. */
export function autoFetchOptionsFromConfig(needed: Record<ModelKind, boolean>): AutoFetchOptions {
  const c = getConfig();
  return {
    modelsDir: c.MODELS_DIR,
    baseUrl: c.MODELS_BASE_URL,
    whisperModel: c.WHISPER_MODEL,
    whisperDtype: whisperDtype(c.INFER_DEVICE),
    autoFetch: c.MODELS_AUTO_FETCH,
    needed,
    stallTimeoutMs: c.MODELS_STALL_TIMEOUT_SEC * 1000,
  };
}

/**
 * Starts the background download of the missing models (once per process and MODELS_DIR: a second call returns the
 * same run, finished or not, and makes no new request). Never rejects; the promise settles with the final states.
 */
export function startModelAutoFetch(opts: AutoFetchOptions): Promise<ModelFetchStatus[]> {
  const store = storeFor(opts);
  store.run ??= launch(store);
  return store.run;
}

/**
 * Tries again (the 운영 page's button, after offline, stalled, …): a new run with these options, unless one is
 * running, in which case that run is returned.
 */
export function retryModelFetch(opts: AutoFetchOptions): Promise<ModelFetchStatus[]> {
  const store = storeFor(opts);
  if (store.running && store.run) return store.run;
  store.opts = opts;
  store.run = launch(store);
  return store.run;
}

function storeFor(opts: AutoFetchOptions): Store<AutoFetchOptions> {
  let store = stores().get(opts.modelsDir) as Store<AutoFetchOptions> | undefined;
  if (!store) {
    store = { opts, statuses: new Map(), running: false, requests: [] };
    stores().set(opts.modelsDir, store);
  }
  return store;
}

/** Aborts a running download (shutdown): the temp file is removed and the lock released. */
export async function stopModelAutoFetch(): Promise<void> {
  await Promise.all(
    [...stores().values()].map(async (s) => {
      s.abort?.abort(new Error(STOPPED));
      await s.run?.catch(() => undefined);
    }),
  );
}

function launch(store: Store<AutoFetchOptions>): Promise<ModelFetchStatus[]> {
  store.running = true;
  store.abort = new AbortController();
  const logger = store.opts.logger ?? log;
  return runFetch(store)
    .catch((err: unknown) => {
      logger.warn({ err: (err as Error).message, modelsDir: store.opts.modelsDir }, 'models: background download failed');
      for (const [name, st] of store.statuses) {
        if (st.state === 'queued' || st.state === 'downloading') store.statuses.set(name, failed(st, 'error', (err as Error).message));
      }
    })
    .then(() => {
      store.running = false;
      return modelFetchStatuses(store.opts.modelsDir);
    });
}

function failed(st: Pick<ModelFetchStatus, 'name' | 'kind'>, reason: FetchFailureReason, message: string, httpStatus?: number): ModelFetchStatus {
  return { name: st.name, kind: st.kind, state: 'failed', reason, message, ...(httpStatus ? { httpStatus } : {}), updatedAt: new Date().toISOString() };
}

async function runFetch(store: Store<AutoFetchOptions>): Promise<void> {
  const o = store.opts;
  const logger = o.logger ?? log;
  const set = (s: Omit<ModelFetchStatus, 'updatedAt'>) => store.statuses.set(s.name, { ...s, updatedAt: new Date().toISOString() });
  let todo: ModelSpec[] = [];
  for (const spec of modelSpecs(o)) {
    const base = { name: spec.name, kind: spec.kind };
    if (missingOf(o.modelsDir, spec).length === 0) set({ ...base, state: 'present', unverifiedFiles: store.statuses.get(spec.name)?.unverifiedFiles });
    else if (!o.needed[spec.kind]) set({ ...base, state: 'not_needed', reason: 'not_used_here' });
    else if (o.autoFetch === 'off') set({ ...base, state: 'missing', reason: 'auto_fetch_off' });
    else if (o.autoFetch === 'detector' && spec.kind === 'whisper') set({ ...base, state: 'missing', reason: 'excluded' });
    else {
      set({ ...base, state: 'queued' });
      todo.push(spec);
    }
  }
  if (!todo.length) return;

  const since = Date.now();
  let waitingLogged = false;
  for (;;) {
    if (store.abort?.signal.aborted) return;
    for (const spec of todo.filter((s) => missingOf(o.modelsDir, s).length === 0)) set({ name: spec.name, kind: spec.kind, state: 'present' });
    todo = todo.filter((s) => missingOf(o.modelsDir, s).length > 0);
    if (!todo.length) return;
    if (waitingLogged) todo = adoptOutcome(store, todo, since);
    if (!todo.length) return;

    const got = tryAcquireFetchLock(o.modelsDir, { staleMs: o.lockStaleMs, heartbeatMs: o.heartbeatMs });
    if (got.acquired) {
      try {
        await download(store, todo, got.lock);
      } finally {
        got.lock.release(todo.map((s) => store.statuses.get(s.name)));
      }
      return;
    }
    // Another process is downloading into this folder: show its progress, then adopt its outcome (or take over).
    const holder = got.holder;
    if (!waitingLogged) {
      logger.info({ modelsDir: o.modelsDir, pid: holder?.pid, host: holder?.host }, 'models: another process is downloading the models; waiting for it');
      waitingLogged = true;
    }
    const theirs = new Map((Array.isArray(holder?.progress) ? (holder.progress as ModelFetchStatus[]) : []).map((s) => [s.name, s]));
    for (const spec of todo) {
      const s = theirs.get(spec.name);
      const elsewhere = holder ? { pid: holder.pid, host: holder.host } : undefined;
      if (s?.state === 'downloading') set({ name: spec.name, kind: spec.kind, state: 'downloading', progress: s.progress, elsewhere });
      else set({ name: spec.name, kind: spec.kind, state: 'queued', elsewhere });
    }
    await sleep(o.pollMs ?? 2000, undefined, { signal: store.abort?.signal }).catch(() => undefined);
  }
}

/** After another process released the lock: take over its failures for our models (no second attempt here). */
function adoptOutcome(store: Store<AutoFetchOptions>, todo: ModelSpec[], since: number): ModelSpec[] {
  if (readLock(store.opts.modelsDir)) return todo;
  const result = readResult(store.opts.modelsDir);
  if (!result || Date.parse(result.finishedAt) < since || !Array.isArray(result.models)) return todo;
  const theirs = new Map((result.models as (ModelFetchStatus | null)[]).filter((s): s is ModelFetchStatus => !!s).map((s) => [s.name, s]));
  return todo.filter((spec) => {
    const s = theirs.get(spec.name);
    if (s?.state !== 'failed' || s.message === STOPPED) return true; // not attempted there (or cut short): ours to fetch
    store.statuses.set(spec.name, { ...s, elsewhere: { pid: result.pid, host: result.host }, updatedAt: new Date().toISOString() });
    return false;
  });
}

async function download(store: Store<AutoFetchOptions>, todo: ModelSpec[], lock: HeldLock): Promise<void> {
  const o = store.opts;
  const logger = o.logger ?? log;
  const statuses = () => todo.map((s) => store.statuses.get(s.name));
  const set = (s: Omit<ModelFetchStatus, 'updatedAt'>, publishNow = true) => {
    store.statuses.set(s.name, { ...s, updatedAt: new Date().toISOString() });
    lock.update(statuses(), publishNow);
  };
  logger.info(
    { modelsDir: o.modelsDir, models: todo.map((s) => s.name), source: o.baseUrl ?? 'official URLs' },
    'models: downloading the missing models in the background',
  );
  let offline: string | undefined;
  for (const spec of todo) {
    const base = { name: spec.name, kind: spec.kind };
    if (offline) {
      set({ ...base, state: 'failed', reason: 'offline', message: `not tried: ${offline}` });
      continue;
    }
    const items = spec.items.filter((i) => missingFiles(o.modelsDir, [i.relPath]).length > 0);
    const unverified: string[] = [...(store.statuses.get(spec.name)?.unverifiedFiles ?? [])];
    let failure: Omit<ModelFetchStatus, 'updatedAt'> | undefined;
    for (const [index, item] of items.entries()) {
      const progress = (bytesDone: number, bytesTotal: number | null): ModelFetchProgress => ({
        file: rel(spec, item.relPath),
        fileIndex: index + 1,
        fileCount: items.length,
        bytesDone,
        bytesTotal,
        percent: bytesTotal ? Math.min(100, Math.floor((bytesDone / bytesTotal) * 100)) : null,
      });
      set({ ...base, state: 'downloading', progress: progress(0, null) });
      const r = await fetchItem(item, {
        modelsDir: o.modelsDir,
        stallTimeoutMs: o.stallTimeoutMs,
        signal: store.abort?.signal,
        onRequest: (url) => store.requests.push(url),
        onProgress: (_item, p) => set({ ...base, state: 'downloading', progress: progress(p.bytesDone, p.bytesTotal) }, false),
      });
      if (r.action === 'downloaded' && r.verifiedBy === 'none') unverified.push(rel(spec, item.relPath));
      if (r.action === 'failed') {
        failure = { ...base, state: 'failed', reason: r.reason ?? 'error', message: r.error ?? 'failed', ...(r.httpStatus ? { httpStatus: r.httpStatus } : {}) };
        break;
      }
    }
    if (failure && store.abort?.signal.aborted) {
      set({ ...base, state: 'failed', reason: 'error', message: STOPPED });
      continue; // the remaining models fail the same way at once (the signal is aborted), without a log line each
    }
    if (failure) {
      set(failure);
      if (failure.reason === 'offline') {
        offline = failure.message;
        // The one line an offline start prints: nothing is retried until the next start or the 운영 page's button.
        logger.warn(
          { modelsDir: o.modelsDir, models: todo.map((s) => s.name), error: failure.message },
          'models: offline, cannot download the missing models; skipping them (the pipeline runs without them; retried on the next start or from the 운영 page)',
        );
      } else {
        logger.warn({ model: spec.name, reason: failure.reason, error: failure.message }, 'models: download failed; nothing installed');
      }
      continue;
    }
    set({ ...base, state: 'present', ...(unverified.length ? { unverifiedFiles: unverified } : {}) });
    logger.info({ model: spec.name, ...(unverified.length ? { trustedOnFirstDownload: unverified } : {}) }, 'models: downloaded and checked; in use from now on');
  }
}
