import type { InferenceSession as OrtSession } from 'onnxruntime-node';
import { getConfig } from '@/src/server/config';
import { log } from '@/src/server/logger';

/**
 * The one place that owns onnxruntime sessions. A per-process map on globalThis (Next.js loads route and
 * instrumentation bundles as separate module instances) keyed by `<kind>:<model path>:<device>` holds the load
 * *promise*, so concurrent callers share one load and a session is created once per process.
 * A failed load is removed from the map so the next call can retry.
 */
export type InferDevice = 'cpu' | 'cuda';

type Cache = Map<string, Promise<unknown>>;
const g = globalThis as unknown as { __influenceModelCache?: Cache };

function cache(): Cache {
  g.__influenceModelCache ??= new Map();
  return g.__influenceModelCache;
}

/** Execution providers for a device: CUDA falls back to CPU for unsupported ops (and if CUDA is absent). */
export function executionProviders(device: InferDevice = getConfig().INFER_DEVICE): string[] {
  return device === 'cuda' ? ['cuda', 'cpu'] : ['cpu'];
}

/** Returns the cached value for `kind` + `modelPath` + device, starting `load` only if nothing is cached yet. */
export function loadOnce<T>(kind: string, modelPath: string, load: (device: InferDevice) => Promise<T>): Promise<T> {
  const device = getConfig().INFER_DEVICE;
  const key = `${kind}:${modelPath}:${device}`;
  const c = cache();
  let p = c.get(key) as Promise<T> | undefined;
  if (!p) {
    const started = Date.now();
    p = load(device).then(
      (v) => {
        log.info({ model: modelPath, kind, device, ms: Date.now() - started }, 'model loaded');
        return v;
      },
      (err: unknown) => {
        c.delete(key);
        throw err;
      },
    );
    c.set(key, p);
  }
  return p;
}

/** One onnxruntime InferenceSession per (model path, device) per process. */
export function getSession(modelPath: string): Promise<OrtSession> {
  return loadOnce('ort', modelPath, async (device) => {
    const ort = await import('onnxruntime-node');
    return ort.InferenceSession.create(modelPath, {
      executionProviders: executionProviders(device),
      graphOptimizationLevel: 'all',
    });
  });
}

/** The onnxruntime module itself (for Tensor construction), so callers outside src/models never import it. */
export async function ortModule(): Promise<typeof import('onnxruntime-node')> {
  return import('onnxruntime-node');
}

/** Drops every cached entry whose key matches (tests, or releasing memory). Does not release native memory of
 * sessions still referenced elsewhere. */
export async function evictModels(match: (key: string) => boolean = () => true): Promise<void> {
  const c = cache();
  for (const [key, p] of [...c.entries()]) {
    if (!match(key)) continue;
    c.delete(key);
    const v = (await p.catch(() => undefined)) as { release?: () => Promise<void> } | undefined;
    if (v && typeof v.release === 'function') await v.release().catch(() => undefined);
  }
}

/** Keys currently cached (for tests and health output). */
export function cachedModelKeys(): string[] {
  return [...cache().keys()];
}
