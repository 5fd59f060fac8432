import path from 'node:path';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { getConfig } from '@/src/server/config';
import { log } from '@/src/server/logger';
import * as schema from './schema';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';
import { noteDatabaseError, startDatabaseWatch, stopDatabaseWatch } from './watch';

export { schema };
export { databaseStatus, noteDatabaseError, type DatabaseStatus } from './watch';
export type Db = NodePgDatabase<typeof schema>;
/** A database handle or an open transaction: services accept either so callers can group writes. */
export type Executor = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

type DbState = { url: string; pool: pg.Pool; db: Db; embedded?: EmbeddedPostgres };
const g = globalThis as unknown as { __influenceDb?: Promise<DbState>; __influenceDbReady?: DbState };

// Postgres bigint/numeric come back as strings by default; counts and money fit in doubles here.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** Where migrations live; absolute because the standalone server changes directory. */
export const migrationsFolder = () => process.env.MIGRATIONS_DIR ?? path.join(/* turbopackIgnore: true */ process.cwd(), 'drizzle');

/** Applies pending migrations under an advisory lock, so web and worker processes starting together don't race. */
export async function migrateDatabase(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(727274001)');
    await migrate(drizzle(client, { casing: 'snake_case' }), { migrationsFolder: migrationsFolder() });
  } finally {
    await client.query('SELECT pg_advisory_unlock(727274001)').catch(() => {});
    client.release();
  }
}

async function open(): Promise<DbState> {
  const config = getConfig();
  let embedded: EmbeddedPostgres | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT });
    url = embedded.url;
  }
  const pool = new pg.Pool({ connectionString: url, max: 10, application_name: `influence-item:${config.APP_ROLE}` });
  // A dropped server fails every idle connection at once: the watch logs that outage once.
  pool.on('error', (err) => noteDatabaseError(err) || log.error({ err }, 'idle database connection failed'));
  await migrateDatabase(pool);
  const state: DbState = { url, pool, db: drizzle(pool, { schema, casing: 'snake_case' }), embedded };
  g.__influenceDbReady = state;
  // The pool reconnects by itself once the server answers; the watch reports outages and restarts our own Postgres.
  const own = embedded?.owned ? embedded : undefined;
  startDatabaseWatch({
    url,
    applicationName: `influence-item:${config.APP_ROLE}:watch`,
    embedded: own && { dataDir: config.DATA_DIR, port: own.port, onRestarted: (restarted) => (state.embedded = restarted) },
  });
  log.info({ embedded: !!embedded }, 'database ready');
  return state;
}

/** Starts (embedded) or connects to the database and migrates it. Safe to call many times. */
export function startDatabase(): Promise<DbState> {
  g.__influenceDb ??= open().catch((e) => {
    g.__influenceDb = undefined;
    throw e;
  });
  return g.__influenceDb;
}

function ready(): DbState {
  const s = g.__influenceDbReady;
  if (!s) throw new Error('Database not started: call startDatabase() first.');
  return s;
}

export const getDb = (): Db => ready().db;
export const getPool = (): pg.Pool => ready().pool;
export const getDatabaseUrl = (): string => ready().url;

export type SqlClient = pg.PoolClient;

/**
 * Runs fn in one transaction on one connection, giving both a drizzle handle and the raw client (pg-boss can send
 * jobs through it, so a row and the job it causes commit together).
 */
export async function transaction<T>(fn: (tx: Db, client: SqlClient) => Promise<T>): Promise<T> {
  const client = await getPool().connect();
  try {
    await client.query('BEGIN');
    const result = await fn(drizzle(client, { schema, casing: 'snake_case' }) as unknown as Db, client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

export async function stopDatabase(): Promise<void> {
  await stopDatabaseWatch(); // first: a Postgres stopped on purpose is not an outage to repair
  const s = g.__influenceDbReady;
  g.__influenceDb = undefined;
  g.__influenceDbReady = undefined;
  if (!s) return;
  await s.pool.end().catch(() => {});
  await s.embedded?.stop();
}
