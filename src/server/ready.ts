/**
 * Whether this process has finished starting (database, queue, workers). The start module (src/start.ts) reports
 * here; routes wait here. It knows nothing of what starting means, so a route's module graph never reaches the
 * workers. Kept on globalThis: Next.js loads instrumentation and routes as separate module instances.
 */
type Readiness = { promise: Promise<void>; resolve(): void; reject(err: unknown): void; state: 'starting' | 'ready' | 'failed'; error?: unknown };

const g = globalThis as unknown as { __influenceReady?: Readiness };

function readiness(): Readiness {
  if (!g.__influenceReady) {
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {}); // a failed start is reported through whenReady() and startState(), never unhandled
    const r: Readiness = {
      promise,
      state: 'starting',
      resolve: () => {
        r.state = 'ready';
        resolve();
      },
      reject: (err) => {
        r.state = 'failed';
        r.error = err;
        reject(err);
      },
    };
    g.__influenceReady = r;
  }
  return g.__influenceReady;
}

/** Resolves once the process has started; rejects with the start error when it could not. */
export function whenReady(): Promise<void> {
  return readiness().promise;
}

/** The start state without waiting: what /api/health reports while the process is still starting. */
export function startState(): { state: Readiness['state']; error?: unknown } {
  const r = readiness();
  return { state: r.state, error: r.error };
}

export function markReady(): void {
  readiness().resolve();
}

export function markStartFailed(err: unknown): void {
  readiness().reject(err);
}

/** After a stop: the next start is awaited afresh. */
export function resetReadiness(): void {
  g.__influenceReady = undefined;
}
