import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One downloader per MODELS_DIR: several processes (web + workers, or several workers) may share the folder, and
 * only the one holding `<MODELS_DIR>/.models-fetch.lock` downloads. The lock is a file created with O_EXCL holding
 * `{pid, host, token, startedAt, progress}`; its holder rewrites it every `heartbeatMs` (and on progress), so the
 * others can show the download's progress and tell a live holder from a dead one.
 *
 * A lock is stale (and is broken) when it was not rewritten for `staleMs`, or when it names a process on this host
 * that no longer exists (after a kill -9). Breaking goes through a second O_EXCL file (`.models-fetch.lock.break`),
 * so two processes that both find the lock stale cannot both remove it and then each remove the other's new one.
 *
 * A holder whose lock was taken from it (judged stale while its event loop was blocked) finishes its current file:
 * installs are renames of checked files, so a double download costs bandwidth, never a corrupt model.
 *
 * On release the holder writes what it achieved to `<MODELS_DIR>/.models-fetch-result.json` (atomically) before
 * removing the lock, so the waiting processes learn the outcome (e.g. offline) instead of trying again themselves.
 */
export const LOCK_FILE = '.models-fetch.lock';
export const RESULT_FILE = '.models-fetch-result.json';

export interface LockInfo {
  pid: number;
  host: string;
  token: string;
  startedAt: string;
  progress?: unknown;
}

export interface FetchResultFile {
  pid: number;
  host: string;
  finishedAt: string;
  models: unknown;
}

export interface LockTiming {
  /** Without a rewrite for this long the lock is stale (default 30 s). */
  staleMs?: number;
  /** How often the holder rewrites the lock (default 5 s). */
  heartbeatMs?: number;
}

export interface HeldLock {
  readonly token: string;
  /** True once another process has taken the lock (it was judged stale): stop writing to the folder's lock. */
  readonly lost: boolean;
  /** Publishes progress to the lock file (written at once if `now`, else with the next heartbeat). */
  update(progress: unknown, now?: boolean): void;
  /** Writes the result file, then removes the lock (if still ours). */
  release(models: unknown): void;
}

export type AcquireResult = { acquired: true; lock: HeldLock } | { acquired: false; holder: LockInfo | null };

const g = globalThis as unknown as { __influenceHeldLockTokens?: Set<string> };
const heldTokens = () => (g.__influenceHeldLockTokens ??= new Set());

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(modelsDir: string): { info: LockInfo | null; mtimeMs: number } | null {
  const file = path.join(modelsDir, LOCK_FILE);
  try {
    const mtimeMs = fs.statSync(file).mtimeMs;
    let info: LockInfo | null = null;
    try {
      info = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    } catch {
      /* being rewritten, or gone since the stat: judged by its age */
    }
    return { info, mtimeMs };
  } catch {
    return null;
  }
}

export function readResult(modelsDir: string): FetchResultFile | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(modelsDir, RESULT_FILE), 'utf8')) as FetchResultFile;
  } catch {
    return null;
  }
}

function isStale(lock: { info: LockInfo | null; mtimeMs: number }, staleMs: number): boolean {
  if (Date.now() - lock.mtimeMs > staleMs) return true;
  const info = lock.info;
  if (!info || info.host !== os.hostname()) return false;
  // Our own pid but not a token we hold: left by an earlier process that had the same pid (container restart).
  if (info.pid === process.pid) return !heldTokens().has(info.token);
  return !pidAlive(info.pid);
}

/** Removes a stale lock, unless someone else is already doing so or it changed since it was judged stale. */
function breakStaleLock(modelsDir: string, judged: { info: LockInfo | null; mtimeMs: number }, staleMs: number): void {
  const breaker = path.join(modelsDir, `${LOCK_FILE}.break`);
  try {
    if (Date.now() - fs.statSync(breaker).mtimeMs > 10_000) fs.rmSync(breaker, { force: true }); // its owner died mid-break
  } catch {
    /* no breaker file */
  }
  let fd: number;
  try {
    fd = fs.openSync(breaker, 'wx');
  } catch {
    return; // another process is breaking it
  }
  try {
    const now = readLock(modelsDir);
    if (now && now.mtimeMs === judged.mtimeMs && now.info?.token === judged.info?.token && isStale(now, staleMs)) {
      fs.rmSync(path.join(modelsDir, LOCK_FILE), { force: true });
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(breaker, { force: true });
  }
}

function writeInPlace(file: string, text: string): void {
  const fd = fs.openSync(file, 'r+'); // never recreates a lock that was taken away
  try {
    const buf = Buffer.from(text);
    fs.writeSync(fd, buf, 0, buf.length, 0);
    fs.ftruncateSync(fd, buf.length);
  } finally {
    fs.closeSync(fd);
  }
}

/** Takes the folder's download lock, breaking a stale one; else says who holds it. */
export function tryAcquireFetchLock(modelsDir: string, timing: LockTiming = {}): AcquireResult {
  const staleMs = timing.staleMs ?? 30_000;
  const heartbeatMs = timing.heartbeatMs ?? 5_000;
  fs.mkdirSync(modelsDir, { recursive: true });
  const file = path.join(modelsDir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex'), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify(info));
      fs.closeSync(fd);
      return { acquired: true, lock: holdLock(modelsDir, info, heartbeatMs) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const current = readLock(modelsDir);
    if (!current) continue; // released meanwhile
    if (attempt === 0 && isStale(current, staleMs)) {
      breakStaleLock(modelsDir, current, staleMs);
      continue;
    }
    return { acquired: false, holder: current.info };
  }
  return { acquired: false, holder: readLock(modelsDir)?.info ?? null };
}

function holdLock(modelsDir: string, info: LockInfo, heartbeatMs: number): HeldLock {
  const file = path.join(modelsDir, LOCK_FILE);
  heldTokens().add(info.token);
  let progress: unknown;
  let lost = false;
  let released = false;
  const write = () => {
    if (lost || released) return;
    try {
      const current = readLock(modelsDir);
      if (!current || (current.info && current.info.token !== info.token)) throw new Error('taken');
      writeInPlace(file, JSON.stringify({ ...info, progress }));
    } catch {
      lost = true;
    }
  };
  let lastWrite = 0;
  const timer = setInterval(() => {
    write();
    lastWrite = Date.now();
  }, heartbeatMs);
  timer.unref();
  return {
    token: info.token,
    get lost() {
      return lost;
    },
    update(p, now = false) {
      progress = p;
      if (now || Date.now() - lastWrite >= 1000) {
        write();
        lastWrite = Date.now();
      }
    },
    release(models) {
      if (released) return;
      clearInterval(timer);
      heldTokens().delete(info.token);
      const result: FetchResultFile = { pid: info.pid, host: info.host, finishedAt: new Date().toISOString(), models };
      const tmp = path.join(modelsDir, `${RESULT_FILE}.${info.token}`);
      try {
        fs.writeFileSync(tmp, JSON.stringify(result, null, 2) + '\n');
        fs.renameSync(tmp, path.join(modelsDir, RESULT_FILE));
      } catch {
        fs.rmSync(tmp, { force: true });
      }
      const current = readLock(modelsDir);
      if (!lost && current?.info?.token === info.token) fs.rmSync(file, { force: true });
      released = true;
    },
  };
}
