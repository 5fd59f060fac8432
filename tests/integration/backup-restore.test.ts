import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { resetConfig } from '@/src/server/config';
import { getDatabaseUrl, startDatabase, stopDatabase } from '@/src/server/db';
import { createTestDatabase } from '../helpers/db';
import { freePort, root } from '../helpers/server';

/**
 * npm run backup → npm run restore into a fresh target: every table's row count and a checksum of the candidates
 * table are equal, and the media files come back. For the machine's Postgres and for the embedded database.
 */
const run = promisify(execFile);
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

function tmpDir(prefix: string) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(async () => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

const baseEnv = () => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env.DATABASE_URL;
  env.LOG_LEVEL = 'silent';
  return env;
};

async function script(name: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', `${name}.ts`), ...args], {
      cwd: root,
      env: { ...baseEnv(), ...env } as unknown as NodeJS.ProcessEnv,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Opens (migrating) a database in-process, seeds it, and closes it again. */
async function seed(env: { DATABASE_URL?: string; DATA_DIR: string; EMBEDDED_PG_PORT?: string }) {
  process.env.DATA_DIR = env.DATA_DIR;
  if (env.DATABASE_URL) process.env.DATABASE_URL = env.DATABASE_URL;
  else delete process.env.DATABASE_URL;
  if (env.EMBEDDED_PG_PORT) process.env.EMBEDDED_PG_PORT = env.EMBEDDED_PG_PORT;
  resetConfig();
  await startDatabase();
  const c = new pg.Client({ connectionString: getDatabaseUrl() });
  await c.connect();
  await c.query(`INSERT INTO celebrities (name, aliases) VALUES ('아이유', ARRAY['IU'])`);
  await c.query(`INSERT INTO channels (youtube_channel_id, title, kind, celebrity_id) VALUES ('UCabc', '이지금', 'celebrity', 1)`);
  await c.query(`INSERT INTO videos (source_kind, youtube_id, title, channel_id, celebrity_id, stage, timings) VALUES
    ('youtube', 'aaaaaaaaaaa', '브이로그 1', 1, 1, 'done', '{"media": 3.5}'), ('youtube', 'bbbbbbbbbbb', '브이로그 2', 1, 1, 'failed', '{}')`);
  for (let i = 0; i < 5; i++) {
    await c.query(
      `INSERT INTO candidates (video_id, product_key, product_name_ai, clip_start_time, clip_end_time, score_total, celebrity_name, features)
       VALUES (1, $1, $2, $3, $4, $5, '아이유', $6)`,
      [`p${i}`, `라운드랩 선크림 ${i}`, i * 10, i * 10 + 8, 50 + i, JSON.stringify(['촉촉함', `f${i}`])],
    );
  }
  await c.query(`INSERT INTO settings (key, value) VALUES ('budgets', '{"llmDailyUsd": 3, "llmMonthlyUsd": 50}')`);
  await c.end();
  const frames = path.join(env.DATA_DIR, 'media', '1', 'frames');
  fs.mkdirSync(frames, { recursive: true });
  fs.writeFileSync(path.join(frames, 'w1-1000.jpg'), Buffer.from('jpeg-bytes-1'));
  await stopDatabase();
}

async function snapshot(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = (await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.tablename as string);
    const counts: Record<string, number> = {};
    for (const t of tables) counts[t] = (await c.query(`SELECT count(*)::int AS n FROM "${t}"`)).rows[0].n;
    const sum = (await c.query(`SELECT md5(string_agg(c::text, '|' ORDER BY id)) AS h FROM candidates c`)).rows[0].h as string;
    return { counts, sum };
  } finally {
    await c.end();
  }
}

test('machine Postgres: backup → restore into a fresh database gives equal counts, candidates checksum and media', async () => {
  const src = await createTestDatabase('bk_src');
  cleanups.push(src.drop);
  const dataA = tmpDir('ii-bk-a-');
  await seed({ DATABASE_URL: src.url, DATA_DIR: dataA });
  const before = await snapshot(src.url);
  assert.equal(before.counts.candidates, 5);

  const b = await script('backup', [], { DATABASE_URL: src.url, DATA_DIR: dataA });
  assert.equal(b.code, 0, b.stderr);
  const archive = b.stdout.trim().split('\n').at(-1)!;
  assert.match(archive, /backups\/influence-item-\d{8}-\d{6}\.tar\.gz$/);
  assert.ok(archive.startsWith(path.join(dataA, 'backups')));
  assert.ok(fs.statSync(archive).size > 1000);

  const dst = await createTestDatabase('bk_dst');
  cleanups.push(dst.drop);
  const dataB = tmpDir('ii-bk-b-');
  const r = await script('restore', [archive], { DATABASE_URL: dst.url, DATA_DIR: dataB });
  assert.equal(r.code, 0, r.stderr);
  const restored = await snapshot(dst.url);
  assert.deepEqual(restored.counts, before.counts);
  assert.equal(restored.sum, before.sum);
  assert.equal(fs.readFileSync(path.join(dataB, 'media', '1', 'frames', 'w1-1000.jpg'), 'utf8'), 'jpeg-bytes-1');

  // A non-empty target is refused, nothing touched; --force replaces it.
  const again = await script('restore', [archive], { DATABASE_URL: dst.url, DATA_DIR: dataB });
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /already holds tables; pass --force/);
  const forced = await script('restore', [archive, '--force'], { DATABASE_URL: dst.url, DATA_DIR: dataB });
  assert.equal(forced.code, 0, forced.stderr);
  assert.deepEqual((await snapshot(dst.url)).counts, before.counts);

  const bad = await script('restore', [path.join(dataB, 'nope.tar.gz')], { DATABASE_URL: dst.url, DATA_DIR: dataB });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /not found/);
});

test('embedded database: a stopped embedded database is copied; restore into a fresh DATA_DIR and into a server', async () => {
  const dataA = tmpDir('ii-bke-a-');
  const portA = String(await freePort());
  await seed({ DATA_DIR: dataA, EMBEDDED_PG_PORT: portA });

  const b = await script('backup', [], { DATA_DIR: dataA, EMBEDDED_PG_PORT: portA });
  assert.equal(b.code, 0, b.stderr);
  const archive = b.stdout.trim().split('\n').at(-1)!;
  const { stdout: listing } = await run('tar', ['-tzf', archive]);
  assert.match(listing, /^postgres\/PG_VERSION$/m, 'file-level copy of the stopped embedded database');

  // Source figures: start the embedded database again just to read them.
  const readEmbedded = async (dataDir: string, port: string) => {
    process.env.DATA_DIR = dataDir;
    process.env.EMBEDDED_PG_PORT = port;
    delete process.env.DATABASE_URL;
    resetConfig();
    await startDatabase();
    try {
      return await snapshot(getDatabaseUrl());
    } finally {
      await stopDatabase();
    }
  };
  const before = await readEmbedded(dataA, portA);
  assert.equal(before.counts.candidates, 5);

  const dataB = tmpDir('ii-bke-b-');
  const portB = String(await freePort());
  const r = await script('restore', [archive], { DATA_DIR: dataB, EMBEDDED_PG_PORT: portB });
  assert.equal(r.code, 0, r.stderr);
  const after = await readEmbedded(dataB, portB);
  assert.deepEqual(after.counts, before.counts);
  assert.equal(after.sum, before.sum);
  assert.ok(fs.existsSync(path.join(dataB, 'media', '1', 'frames', 'w1-1000.jpg')));
  const refused = await script('restore', [archive], { DATA_DIR: dataB, EMBEDDED_PG_PORT: portB });
  assert.match(refused.stderr, /already exists.*--force/);

  // The same file copy restored into the machine's Postgres.
  const dst = await createTestDatabase('bke_dst');
  cleanups.push(dst.drop);
  const dataC = tmpDir('ii-bke-c-');
  const r2 = await script('restore', [archive], { DATABASE_URL: dst.url, DATA_DIR: dataC });
  assert.equal(r2.code, 0, r2.stderr);
  const inServer = await snapshot(dst.url);
  assert.deepEqual(inServer.counts, before.counts);
  assert.equal(inServer.sum, before.sum);

  // A running embedded database is backed up with pg_dump and restores into an empty embedded one.
  process.env.DATA_DIR = dataB;
  process.env.EMBEDDED_PG_PORT = portB;
  resetConfig();
  await startDatabase();
  let live: string;
  try {
    const lb = await script('backup', [], { DATA_DIR: dataB, EMBEDDED_PG_PORT: portB });
    assert.equal(lb.code, 0, lb.stderr);
    live = lb.stdout.trim().split('\n').at(-1)!;
    assert.match((await run('tar', ['-tzf', live])).stdout, /^db\.dump$/m);
  } finally {
    await stopDatabase();
  }
  const dataD = tmpDir('ii-bke-d-');
  const portD = String(await freePort());
  const r3 = await script('restore', [live], { DATA_DIR: dataD, EMBEDDED_PG_PORT: portD });
  assert.equal(r3.code, 0, r3.stderr);
  const fromDump = await readEmbedded(dataD, portD);
  assert.deepEqual(fromDump.counts, before.counts);
  assert.equal(fromDump.sum, before.sum);
});
