import { downloadPlan, type FetchFailureReason, type FetchItem } from '@/src/models/fetch';
import { readLock, readResult } from '@/src/models/fetch-lock';
import { YOLOX_REL_PATH, missingFiles, whisperDtype, type WhisperDtype } from '@/src/models/registry';
import { getConfig } from '@/src/server/config';

/**
 * The state of each downloadable model as /api/health and the 운영 page show it, and the per-process store the
 * background download (auto-fetch.ts) keeps it in. States:
 *   present · queued → downloading (file, bytes, percent) → present | failed (offline, checksum_mismatch, stalled,
 *   http_status, error) · missing (not fetched by configuration) · not_needed (no job in this process uses it).
 * The store lives on globalThis (Next.js loads instrumentation and route bundles as separate module instances).
 */
export type ModelFetchState = 'present' | 'queued' | 'downloading' | 'failed' | 'missing' | 'not_needed';
export type ModelFetchReason = FetchFailureReason | 'auto_fetch_off' | 'excluded' | 'not_started' | 'not_used_here';
export type ModelKind = 'detector' | 'whisper';

export interface ModelFetchProgress {
  /** The file being downloaded (relative to the model's folder) and its place in the model's list. */
  file: string;
  fileIndex: number;
  fileCount: number;
  bytesDone: number;
  bytesTotal: number | null;
  /** Of the current file; null while its size is unknown. */
  percent: number | null;
}

export interface ModelFetchStatus {
  name: string;
  kind: ModelKind;
  state: ModelFetchState;
  reason?: ModelFetchReason;
  message?: string;
  httpStatus?: number;
  progress?: ModelFetchProgress;
  /** Files installed with no sha256 to check them against (trusted on first download). */
  unverifiedFiles?: string[];
  /** The process that is downloading it (or did), when that is another process sharing MODELS_DIR. */
  elsewhere?: { pid: number; host: string };
  updatedAt: string;
}

/** What decides the models and their sources. */
export interface FetchOptionsBase {
  modelsDir: string;
  baseUrl?: string;
  whisperModel: string;
  whisperDtype: WhisperDtype;
  /** MODELS_AUTO_FETCH: which missing models to download. */
  autoFetch: 'all' | 'detector' | 'off';
  /** Which models this process uses (it runs the jobs that need them); the others are `not_needed`. */
  needed: Record<ModelKind, boolean>;
  /** Tests only: relPath → sha256 replacing the known values (a small fake YOLOX file). */
  expectedSha256?: Record<string, string>;
}

export interface Store<O extends FetchOptionsBase = FetchOptionsBase> {
  opts: O;
  statuses: Map<string, ModelFetchStatus>;
  run?: Promise<ModelFetchStatus[]>;
  running: boolean;
  abort?: AbortController;
  /** Every URL this process requested for models (each redirect hop counts). */
  requests: string[];
}

const g = globalThis as unknown as { __influenceModelFetch?: Map<string, Store> };
/** One store per MODELS_DIR in this process. */
export const stores = () => (g.__influenceModelFetch ??= new Map());

export interface ModelSpec {
  name: string;
  kind: ModelKind;
  /** Folder (relative to MODELS_DIR) the file names are shown relative to. */
  dir: string;
  items: FetchItem[];
}

export function modelSpecs(o: Pick<FetchOptionsBase, 'baseUrl' | 'whisperModel' | 'whisperDtype' | 'expectedSha256'>): ModelSpec[] {
  const plan = downloadPlan({ baseUrl: o.baseUrl, whisperModel: o.whisperModel, whisperDtype: o.whisperDtype, expectedSha256: o.expectedSha256 });
  return [
    { name: 'yolox-nano', kind: 'detector', dir: 'yolox-nano', items: plan.filter((i) => i.relPath === YOLOX_REL_PATH) },
    { name: `whisper:${o.whisperModel}`, kind: 'whisper', dir: o.whisperModel, items: plan.filter((i) => i.relPath !== YOLOX_REL_PATH) },
  ];
}

export const missingOf = (modelsDir: string, spec: ModelSpec) => missingFiles(modelsDir, spec.items.map((i) => i.relPath));

/** URLs this process requested for models into `modelsDir` (tests: "exactly one attempt"). */
export function modelFetchRequests(modelsDir = getConfig().MODELS_DIR): string[] {
  return [...(stores().get(modelsDir)?.requests ?? [])];
}

/**
 * Every downloadable model's state for health output. Presence is read from disk on each call, so a model that
 * another process or `npm run models:fetch` installed shows as present. A model this process does not download
 * itself (not needed here, or no run) shows what another process sharing MODELS_DIR is doing or last did with it
 * (its lock's progress, its result file), so a web process's 운영 page sees the worker's download.
 */
export function modelFetchStatuses(modelsDir = getConfig().MODELS_DIR): ModelFetchStatus[] {
  const store = stores().get(modelsDir);
  const c = getConfig();
  const o = store?.opts ?? { baseUrl: c.MODELS_BASE_URL, whisperModel: c.WHISPER_MODEL, whisperDtype: whisperDtype(c.INFER_DEVICE) };
  const autoFetch = store?.opts.autoFetch ?? c.MODELS_AUTO_FETCH;
  const now = new Date().toISOString();
  let others: Map<string, ModelFetchStatus> | undefined;
  const otherProcess = (name: string) => (others ??= elsewhere(modelsDir)).get(name);
  return modelSpecs(o).map((spec) => {
    const st = store?.statuses.get(spec.name);
    if (st && (st.state === 'downloading' || st.state === 'queued')) return { ...st };
    if (missingOf(modelsDir, spec).length === 0) {
      return { name: spec.name, kind: spec.kind, state: 'present', ...(st?.unverifiedFiles?.length ? { unverifiedFiles: st.unverifiedFiles } : {}), updatedAt: st?.updatedAt ?? now };
    }
    if (st && st.state !== 'not_needed') return { ...st };
    const other = otherProcess(spec.name);
    if (other) return other;
    if (st) return { ...st };
    const reason: ModelFetchReason = autoFetch === 'off' ? 'auto_fetch_off' : autoFetch === 'detector' && spec.kind === 'whisper' ? 'excluded' : 'not_started';
    return { name: spec.name, kind: spec.kind, state: 'missing', reason, updatedAt: now };
  });
}

/** Another process's download into this folder: in progress (its lock) or its last failures (its result file). */
function elsewhere(modelsDir: string): Map<string, ModelFetchStatus> {
  const out = new Map<string, ModelFetchStatus>();
  const lock = readLock(modelsDir)?.info;
  if (lock && lock.pid !== process.pid && Array.isArray(lock.progress)) {
    for (const s of lock.progress as (ModelFetchStatus | null)[]) {
      if (s && (s.state === 'downloading' || s.state === 'queued')) out.set(s.name, { ...s, elsewhere: { pid: lock.pid, host: lock.host } });
    }
    return out;
  }
  const result = readResult(modelsDir);
  if (result && result.pid !== process.pid && Array.isArray(result.models)) {
    for (const s of result.models as (ModelFetchStatus | null)[]) {
      if (s?.state === 'failed') out.set(s.name, { ...s, elsewhere: { pid: result.pid, host: result.host } });
    }
  }
  return out;
}
