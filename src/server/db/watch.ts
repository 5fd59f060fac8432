import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { pidAlive, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';

/**
 * The database supervisor: one place that decides whether the database is up, so an outage is one story in the log
 * and on /api/health instead of an error per failed poll.
 *
 * - Detection: a `SELECT 1` on a connection of its own every 2 s, and at once when that connection drops or the pool
 *   or pg-boss report a connection error (noteDatabaseError).
 * - While down it checks again with backoff (0.5 s doubling to 30 s). The app's pool and pg-boss need no help: they
 *   open fresh connections once the server answers, and pg-boss workers keep polling, so jobs resume by themselves
 *   (a job cut off mid-run is retried by pg-boss after its heartbeat/expiry, as after any crash).
 * - An embedded Postgres this process started whose postmaster is gone is started again (same data folder and port)
 *   on the same backoff. An external database (DATABASE_URL), or an embedded one owned by another process, is waited for.
 * - Log: `database lost` (error), `embedded Postgres restarting` / `… restart failed` (warn, one per attempt), `database
 *   back` (warn, so it closes the outage at LOG_LEVEL=warn too). Connection errors seen while the database answers are
 *   logged at most once a minute.
 */
export type WatchOptions = {
  url: string;
  applicationName: string;
  /** Set when this process started the embedded Postgres: it is restarted here when its postmaster dies. */
  embedded?: { dataDir: string; port: number; onRestarted(pg: EmbeddedPostgres): void };
};

export type DatabaseStatus = { up: boolean; since?: string; error?: string };

const UP_CHECK_MS = 2000;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000, 30000];
const MIN_GAP_MS = 1000; // bursts of errors from many workers wake at most one check a second
const STRAY_LOG_MS = 60_000;
const ZOMBIE_GRACE_MS = 10_000;

type Watch = {
  opts: WatchOptions;
  up: boolean;
  since?: Date;
  error?: string;
  failures: number; // consecutive failed checks: picks the next delay from BACKOFF_MS
  attempts: number; // restarts tried in this outage
  folded: number; // connection errors from the pool and pg-boss absorbed during this outage
  pending?: unknown; // a connection error seen while up: the next check says whether it is an outage
  lastCheck: number;
  lastStrayLog: number;
  zombieLogged: boolean;
  client?: pg.Client;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  stopped: boolean;
};

const g = globalThis as unknown as { __influenceDbWatch?: Watch };

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03']);
const CONNECTION_MESSAGE = /connection terminated|terminating connection|the database system is|timeout exceeded when trying to connect|connection error|not queryable/i;

/** Errors that mean "cannot talk to the server" (refused, dropped, shutting down, starting up), not a bad query. */
export function isConnectionError(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++, e = (e as Error).cause) {
    const x = e as { code?: unknown; message?: unknown; errors?: unknown };
    if (typeof x.code === 'string' && (CONNECTION_CODES.has(x.code) || x.code.startsWith('08'))) return true;
    if (typeof x.message === 'string' && CONNECTION_MESSAGE.test(x.message)) return true;
    if (Array.isArray(x.errors) && x.errors.some(isConnectionError)) return true; // AggregateError (IPv4 + IPv6)
  }
  return false;
}

/** An error's message, or its code when it has none (Node's AggregateError for a refused "localhost"). */
const describe = (err: unknown) => errorMessage(err) || String((err as { code?: unknown }).code ?? 'unknown error');

/** The postmaster of pgdata: running, gone, or a zombie nobody reaps (Node as PID 1 in a container without init). */
function postmasterState(pgdata: string): 'running' | 'gone' | 'zombie' {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return 'gone';
  }
  if (!pid || !pidAlive(pid)) return 'gone';
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return 'zombie';
  } catch {
    /* no /proc: trust kill(0) */
  }
  return 'running';
}

function dropClient(w: Watch) {
  const c = w.client;
  w.client = undefined;
  c?.removeAllListeners();
  c?.on('error', () => {}); // a late socket error on a client we gave up must not become an uncaught exception
  c?.end().catch(() => {});
}

async function probe(w: Watch): Promise<void> {
  try {
    if (!w.client) {
      const c = new pg.Client({ connectionString: w.opts.url, connectionTimeoutMillis: 5000, query_timeout: 5000, application_name: w.opts.applicationName });
      // The server went away under an idle connection: check now rather than at the next tick.
      c.on('error', () => {
        if (w.client === c) dropClient(w);
        if (w.up) wake(w);
      });
      w.client = c;
      await c.connect();
    }
    await w.client.query('SELECT 1');
  } catch (e) {
    dropClient(w);
    throw e;
  }
}

/** Starts the embedded Postgres again; true when it started. */
async function restartEmbedded(w: Watch, e: NonNullable<WatchOptions['embedded']>): Promise<boolean> {
  const pgdata = path.join(e.dataDir, 'postgres');
  const state = postmasterState(pgdata);
  if (state === 'running') return false; // alive but not answering yet (crash recovery, start-up): wait
  if (state === 'zombie') {
    // Normal for a moment, until its parent reaps it. If that lasts, nothing will (Node as PID 1 reaps no orphans),
    // and Postgres refuses to start beside it: say so once.
    if (!w.zombieLogged && Date.now() - w.since!.getTime() > ZOMBIE_GRACE_MS) {
      w.zombieLogged = true;
      log.error({ pgdata }, 'embedded Postgres died but nothing reaps its process: cannot restart it; run the container with an init (docker run --init, tini)');
    }
    return false;
  }
  w.attempts++;
  log.warn({ attempt: w.attempts, port: e.port, pgdata }, 'embedded Postgres restarting');
  try {
    e.onRestarted(await startEmbeddedPostgres({ dataDir: e.dataDir, port: e.port }));
    return true;
  } catch (err) {
    const retryInMs = BACKOFF_MS[Math.min(w.failures, BACKOFF_MS.length - 1)];
    log.warn({ attempt: w.attempts, retryInMs, err: describe(err).split('\n')[0] }, 'embedded Postgres restart failed');
    return false;
  }
}

async function check(w: Watch): Promise<void> {
  w.lastCheck = Date.now();
  const attempt = () => probe(w).then(() => undefined, (e: unknown) => e ?? new Error('unknown error'));
  let err = await attempt();
  if (err && w.up) {
    Object.assign(w, { up: false, since: new Date(), failures: 0, attempts: 0, folded: 0, zombieLogged: false });
    log.error({ err: describe(err), embedded: !!w.opts.embedded }, 'database lost');
  }
  if (err && w.opts.embedded && !w.stopped && (await restartEmbedded(w, w.opts.embedded))) err = await attempt();
  if (err) {
    w.error = describe(err);
    w.failures++;
    return;
  }
  if (!w.up) {
    log.warn({ downMs: Date.now() - w.since!.getTime(), restarts: w.attempts, foldedErrors: w.folded }, 'database back');
    Object.assign(w, { up: true, since: undefined, error: undefined, failures: 0 });
  } else if (w.pending && Date.now() - w.lastStrayLog > STRAY_LOG_MS) {
    w.lastStrayLog = Date.now();
    log.warn({ err: describe(w.pending) }, 'database connection error (the database answers)');
  }
  w.pending = undefined;
}

function schedule(w: Watch, ms: number) {
  clearTimeout(w.timer);
  w.timer = setTimeout(() => run(w), ms);
  w.timer.unref(); // the watch never keeps a finished script alive
}

function run(w: Watch) {
  if (w.stopped || w.running) return;
  w.running = check(w)
    .catch((e) => log.error({ err: e }, 'database watch failed'))
    .finally(() => {
      w.running = undefined;
      if (!w.stopped) schedule(w, w.up ? UP_CHECK_MS : BACKOFF_MS[Math.min(Math.max(w.failures - 1, 0), BACKOFF_MS.length - 1)]);
    });
}

/** Check soon (errors arrive in bursts: at most one check per MIN_GAP_MS). Only while up: a down database keeps its backoff. */
function wake(w: Watch) {
  if (w.stopped || w.running || !w.up) return;
  schedule(w, Math.max(0, w.lastCheck + MIN_GAP_MS - Date.now()));
}

export function startDatabaseWatch(opts: WatchOptions): void {
  if (g.__influenceDbWatch && !g.__influenceDbWatch.stopped) return;
  const w: Watch = { opts, up: true, failures: 0, attempts: 0, folded: 0, lastCheck: 0, lastStrayLog: 0, zombieLogged: false, stopped: false };
  g.__influenceDbWatch = w;
  schedule(w, UP_CHECK_MS);
}

/** Stops watching (before the pool and the embedded Postgres are stopped on purpose, so it is not "restarted"). */
export async function stopDatabaseWatch(): Promise<void> {
  const w = g.__influenceDbWatch;
  if (!w) return;
  w.stopped = true;
  clearTimeout(w.timer);
  await w.running;
  dropClient(w);
  g.__influenceDbWatch = undefined;
}

/**
 * For the pool's and pg-boss's error handlers: a connection error is folded into the watch's state lines (and wakes a
 * check); returns false for anything else, or when nothing watches, and the caller logs it as before.
 */
export function noteDatabaseError(err: unknown): boolean {
  const w = g.__influenceDbWatch;
  if (!w || w.stopped || !isConnectionError(err)) return false;
  w.folded++;
  if (w.up) {
    w.pending ??= err;
    wake(w);
  }
  return true;
}

/** Up, or down since when and why (what /api/health reports). Up when nothing watches. */
export function databaseStatus(): DatabaseStatus {
  const w = g.__influenceDbWatch;
  if (!w || w.up) return { up: true };
  return { up: false, since: w.since?.toISOString(), error: w.error };
}
