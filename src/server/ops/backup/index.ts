import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { getConfig } from '@/src/server/config';
import { now } from '@/src/server/clock';
import { startEmbeddedPostgres, runningEmbeddedPort as embeddedPortOf } from '@/src/server/db/embedded';
import { DomainError } from '@/src/server/errors';
import { freePort } from '@/src/server/free-port';
import { log } from '@/src/server/logger';

const run = promisify(execFile);

/**
 * Backup: one dated tar.gz holding `manifest.json`, the database and `media/`.
 *   - a reachable database (DATABASE_URL, or the embedded one while it runs) → `db.dump` from pg_dump (custom format);
 *   - the embedded database while it is stopped → `postgres/`, a file-level copy of its data folder.
 * Restore accepts either kind into either target (a file copy is started on a spare port and dumped; an embedded
 * target is initialised when missing), and refuses a target that already holds data unless `force`.
 */
export type Manifest = { format: 1; app: 'influence-item'; createdAt: string; database: 'pg_dump' | 'files'; media: boolean };

export function backupsDir(): string {
  return path.join(getConfig().DATA_DIR, 'backups');
}

function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const dump = getConfig().PG_DUMP_PATH;
  if (!dump) return name;
  return name === 'pg_dump' ? dump : path.join(path.dirname(dump), name);
}

/** libpq connection parameters from a URL, the password passed by environment (never on the command line). */
function libpq(url: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const args = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), '-d', decodeURIComponent(u.pathname.slice(1) || 'postgres')];
  const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: '10' };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const ssl = u.searchParams.get('sslmode');
  if (ssl) env.PGSSLMODE = ssl;
  return { args, env };
}

async function runTool(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(file, args, { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') {
      throw new DomainError('not_configured', `${file} not found: install postgresql-client (Debian) or set PG_DUMP_PATH.`);
    }
    throw new Error(`${path.basename(file)} failed: ${(err.stderr || err.message).trim().split('\n').slice(-5).join(' | ')}`);
  }
}

/** The embedded database's port when it is running, else null. */
export function runningEmbeddedPort(dataDir = getConfig().DATA_DIR): number | null {
  return embeddedPortOf(dataDir);
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** Writes one archive and returns its path. Keeps the newest `keep` archives in the default folder when given. */
export async function createBackup(opts: { outDir?: string; keep?: number } = {}): Promise<string> {
  const config = getConfig();
  const wanted = opts.outDir ?? backupsDir();
  const outDir = path.resolve(/* turbopackIgnore: true */ wanted);
  fs.mkdirSync(outDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-backup-'));
  try {
    let database: Manifest['database'];
    const members: string[][] = [];
    const dbUrl = config.DATABASE_URL ?? (runningEmbeddedPort() ? `postgres://postgres@127.0.0.1:${runningEmbeddedPort()}/postgres` : null);
    if (dbUrl) {
      const { args, env } = libpq(dbUrl);
      await runTool(pgTool('pg_dump'), ['-Fc', '-f', path.join(staging, 'db.dump'), ...args], env);
      database = 'pg_dump';
      members.push(['-C', staging, 'db.dump']);
    } else {
      if (!fs.existsSync(path.join(config.DATA_DIR, 'postgres', 'PG_VERSION'))) {
        throw new DomainError('not_found', `No database to back up: DATABASE_URL is unset and ${path.join(config.DATA_DIR, 'postgres')} holds no embedded database.`);
      }
      database = 'files';
      members.push(['-C', config.DATA_DIR, '--exclude=postmaster.pid', 'postgres']);
    }
    const media = fs.existsSync(config.MEDIA_DIR);
    if (media) members.push(['-C', config.DATA_DIR, 'media']);
    const manifest: Manifest = { format: 1, app: 'influence-item', createdAt: now().toISOString(), database, media };
    fs.writeFileSync(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));

    let name = `influence-item-${stamp(now())}`;
    for (let i = 2; fs.existsSync(path.join(outDir, `${name}.tar.gz`)); i++) name = `influence-item-${stamp(now())}-${i}`;
    const archive = path.join(outDir, `${name}.tar.gz`);
    const partial = `${archive}.partial`;
    await run('tar', ['-czf', partial, '-C', staging, 'manifest.json', ...members.flat()], { maxBuffer: 16 * 1024 * 1024 }).catch((e) => {
      fs.rmSync(partial, { force: true });
      throw new Error(`tar failed: ${(e as { stderr?: string }).stderr ?? (e as Error).message}`);
    });
    fs.renameSync(partial, archive);
    log.info({ archive, database, media, bytes: fs.statSync(archive).size }, 'backup written');
    if (opts.keep && !opts.outDir) pruneBackups(outDir, opts.keep);
    return archive;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Deletes all but the newest `keep` archives in a folder; returns the deleted paths. */
export function pruneBackups(dir: string, keep: number): string[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^influence-item-.*\.tar\.gz$/.test(f))
    .map((f) => ({ f: path.join(dir, f), t: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t || b.f.localeCompare(a.f));
  const gone = files.slice(keep).map((x) => x.f);
  for (const f of gone) fs.rmSync(f, { force: true });
  if (gone.length) log.info({ removed: gone.length, keep }, 'old backups removed');
  return gone;
}

export function listBackups(dir = backupsDir()): { path: string; bytes: number; at: string }[] {
  if (!fs.existsSync(/* turbopackIgnore: true */ dir)) return [];
  return fs
    .readdirSync(/* turbopackIgnore: true */ dir)
    .filter((f) => /^influence-item-.*\.tar\.gz$/.test(f))
    .map((f) => {
      const st = fs.statSync(path.join(dir, f));
      return { path: path.join(dir, f), bytes: st.size, at: st.mtime.toISOString() };
    })
    .sort((a, b) => b.at.localeCompare(a.at));
}

async function databaseHasData(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    );
    return r.rows[0].n > 0;
  } finally {
    await c.end();
  }
}

async function emptyDatabase(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(
      `SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast_temp%'`,
    );
    for (const { nspname } of r.rows as { nspname: string }[]) await c.query(`DROP SCHEMA "${nspname}" CASCADE`);
    await c.query('CREATE SCHEMA IF NOT EXISTS public');
  } finally {
    await c.end();
  }
}

const dirHasEntries = (dir: string) => fs.existsSync(dir) && fs.readdirSync(dir).length > 0;

export type RestoreResult = { database: 'external' | 'embedded'; from: Manifest['database']; media: boolean };

/**
 * Restores an archive into the configured database (DATABASE_URL, else the embedded one under DATA_DIR, which must
 * not be running) and MEDIA_DIR. Checks every target before writing anything.
 */
export async function restoreBackup(archive: string, opts: { force?: boolean } = {}): Promise<RestoreResult> {
  const config = getConfig();
  const file = path.resolve(archive);
  if (!fs.existsSync(file)) throw new DomainError('not_found', `Archive ${file} not found.`);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-restore-'));
  fs.chmodSync(staging, 0o755);
  try {
    await run('tar', ['-xzf', file, '-C', staging, 'manifest.json']).catch(() => {
      throw new DomainError('bad_request', `${file} is not an influence-item backup (no manifest.json inside a tar.gz).`);
    });
    const manifest = JSON.parse(fs.readFileSync(path.join(staging, 'manifest.json'), 'utf8')) as Manifest;
    if (manifest.app !== 'influence-item' || manifest.format !== 1) {
      throw new DomainError('bad_request', `${file} has an unknown manifest (format ${String(manifest.format)}).`);
    }

    // 1. Check every target before touching anything.
    const external = config.DATABASE_URL;
    const pgdata = path.join(config.DATA_DIR, 'postgres');
    if (external) {
      if ((await databaseHasData(external)) && !opts.force) {
        throw new DomainError('conflict', 'The target database (DATABASE_URL) already holds tables; pass --force to replace them.');
      }
    } else {
      if (runningEmbeddedPort()) {
        throw new DomainError('conflict', `The embedded database under ${pgdata} is running; stop the app before restoring.`);
      }
      if (fs.existsSync(path.join(pgdata, 'PG_VERSION')) && !opts.force) {
        throw new DomainError('conflict', `An embedded database already exists under ${pgdata}; pass --force to replace it.`);
      }
    }
    if (manifest.media && dirHasEntries(config.MEDIA_DIR) && !opts.force) {
      throw new DomainError('conflict', `The media folder ${config.MEDIA_DIR} is not empty; pass --force to replace it.`);
    }

    // 2. Database.
    fs.mkdirSync(config.DATA_DIR, { recursive: true });
    if (!external && manifest.database === 'files') {
      fs.rmSync(pgdata, { recursive: true, force: true });
      await run('tar', ['-xzf', file, '-C', config.DATA_DIR, 'postgres']);
    } else {
      let dump = path.join(staging, 'db.dump');
      if (manifest.database === 'files') {
        // A file copy going into a server: start it on a spare port and dump it.
        await run('tar', ['-xzf', file, '-C', staging, 'postgres']);
        const tmp = await startEmbeddedPostgres({ dataDir: staging, port: await freePort() });
        try {
          const { args, env } = libpq(tmp.url);
          await runTool(pgTool('pg_dump'), ['-Fc', '-f', dump, ...args], env);
        } finally {
          await tmp.stop();
        }
      } else {
        await run('tar', ['-xzf', file, '-C', staging, 'db.dump']);
        dump = path.join(staging, 'db.dump');
      }
      let url = external;
      let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
      if (!url) {
        if (opts.force) fs.rmSync(pgdata, { recursive: true, force: true });
        embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT });
        url = embedded.url;
      }
      try {
        if (opts.force) await emptyDatabase(url);
        const { args, env } = libpq(url);
        await runTool(pgTool('pg_restore'), ['--no-owner', '--no-privileges', '--exit-on-error', ...args, dump], env);
      } finally {
        await embedded?.stop();
      }
    }

    // 3. Media.
    if (manifest.media) {
      fs.rmSync(config.MEDIA_DIR, { recursive: true, force: true });
      await run('tar', ['-xzf', file, '-C', config.DATA_DIR, 'media']);
    }
    log.info({ archive: file, database: external ? 'external' : 'embedded', from: manifest.database }, 'backup restored');
    return { database: external ? 'external' : 'embedded', from: manifest.database, media: manifest.media };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
