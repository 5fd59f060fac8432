import { getConfig } from '@/src/server/config';
import { ensureBootstrapOperator } from '@/src/server/auth';
import { warnIfShutDownModel } from '@/src/server/integrations/gemini/models';
import { startDatabase, stopDatabase } from '@/src/server/db';
import { log } from '@/src/server/logger';
import { startModelDownloads, stopModelDownloads } from '@/src/server/ops/models';
import { startQueue, stopQueue } from '@/src/server/queue';
import { startSchedules } from '@/src/server/queue/schedules';
import { markReady, markStartFailed, resetReadiness } from '@/src/server/ready';
import { startWorkers } from '@/src/workers';

const g = globalThis as unknown as { __influenceApp?: Promise<void>; __influenceShutdownHooked?: boolean };

async function boot() {
  const config = getConfig(); // a bad variable stops start-up here, naming it
  warnIfShutDownModel(); // one line when GEMINI_MODEL names a model Google has shut down
  await startDatabase();
  await ensureBootstrapOperator();
  await startQueue();
  await startSchedules();
  await startWorkers();
  hookShutdown();
  log.info({ role: config.APP_ROLE, port: config.PORT }, 'influence-item started');
}

/**
 * The process's start: everything it runs (database, queue, schedules, workers by role). Called by
 * instrumentation.ts when the server starts (and by tests that run the app in-process); routes wait on
 * src/server/ready.ts instead of importing this. Idempotent; shared via globalThis.
 */
export function startApp(): Promise<void> {
  g.__influenceApp ??= boot().then(markReady, (e) => {
    g.__influenceApp = undefined;
    markStartFailed(e);
    resetReadiness(); // a later start (tests) is awaited afresh
    throw e;
  });
  return g.__influenceApp;
}

/**
 * What a serving process (`npm start`, via instrumentation.ts) does besides startApp(): download missing models in
 * the background. Returns at once; tests that start the app in-process do not call it.
 */
export function startBackgroundWork(): void {
  startModelDownloads();
}

/** Lets running jobs finish (or releases them), closes the pool, then stops an embedded Postgres we own. */
export async function stopApp(): Promise<void> {
  await stopModelDownloads().catch((e) => log.error({ err: e }, 'model download did not stop cleanly'));
  await stopQueue().catch((e) => log.error({ err: e }, 'queue did not stop cleanly'));
  await stopDatabase();
  g.__influenceApp = undefined;
  resetReadiness();
}

function hookShutdown() {
  if (g.__influenceShutdownHooked) return;
  g.__influenceShutdownHooked = true;
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 30000);
      force.unref();
      stopApp()
        .catch((e) => log.error({ err: e }, 'shutdown failed'))
        .finally(() => process.exit(0));
    });
  }
}
