import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { inArray, sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { freePort, startServer, type TestServer } from '../helpers/server';
import { recordFigure } from './lib/figures';

/**
 * Crashes while a backlog of videos is analysed:
 * - 20 × kill -9 of the app at random moments (each restart on the same database and data folder), then
 * - 3 × kill -9 of the embedded Postgres under a running app (the app restarts it).
 * Afterwards every video is done with exactly the candidate an uninterrupted run makes (the fixture vlog: one,
 * 라운드랩 독도 토너), no window or candidate twice, and every candidate created once in its history.
 * This process registers the videos and sends the first jobs (APP_ROLE=web: no workers here); the servers run them.
 * The random moments come from a seed printed in the figures (RELIABILITY_SEED repeats a run).
 */
const AREA = 'Crash: kill -9 while analysing';
const seed = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000);
let state = seed;
/** mulberry32: a small seeded generator, so a failing run can be repeated. */
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

const appEnv = {
  API_TOKEN: 'crash-suite-token-0123456789',
  APP_ROLE: 'all',
  VISUAL_FRAMES_PER_WINDOW: '3',
  GEMINI_API_KEY: '',
  COUPANG_ACCESS_KEY: '',
  COUPANG_SECRET_KEY: '',
};

/** The test process's own connection (web role) to the database the servers use. */
async function connect(databaseUrl: string, dataDir: string) {
  Object.assign(process.env, { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, APP_ROLE: 'web' });
  (await import('@/src/server/config')).resetConfig();
  await (await import('@/src/server/db')).startDatabase();
  await (await import('@/src/server/queue')).startQueue();
  return async () => {
    await (await import('@/src/server/queue')).stopQueue();
    await (await import('@/src/server/db')).stopDatabase();
  };
}

async function queueBacklog(n: number, numbered = 0): Promise<number[]> {
  const { insertFixtureVideo } = await import('../helpers/pipeline');
  const { enqueue } = await import('@/src/server/queue');
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = await insertFixtureVideo({ title: `크래시 테스트 ${numbered + i + 1}` });
    await enqueue('video.transcript', { videoId: String(id) });
    ids.push(id);
  }
  return ids;
}

async function stages(ids: number[]): Promise<Map<number, { stage: string; error: string | null }>> {
  const { getDb, schema } = await import('@/src/server/db');
  const rows = await getDb().select().from(schema.videos).where(inArray(schema.videos.id, ids));
  return new Map(rows.map((v) => [v.id, { stage: v.stage, error: v.errorMessage }]));
}

async function waitAllFinished(ids: number[], timeoutMs: number, server: () => TestServer | undefined) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await stages(ids).catch(() => null); // the database may be restarting
    if (s && [...s.values()].every((v) => v.stage === 'done' || v.stage === 'failed')) return s;
    if (Date.now() > until) throw new Error(`not finished after ${timeoutMs} ms: ${JSON.stringify(s && Object.fromEntries(s))}\n${server()?.output().slice(-3000)}`);
    await sleep(1000);
  }
}

/** What must hold after the crashes; returns the counts the figures report. */
async function checkOutcome(ids: number[]) {
  const { getDb, schema } = await import('@/src/server/db');
  const db = getDb();
  const s = await stages(ids);
  const lost = ids.filter((id) => s.get(id)?.stage !== 'done');
  const windows = await db.select().from(schema.windows).where(inArray(schema.windows.videoId, ids));
  const candidates = await db.select().from(schema.candidates).where(inArray(schema.candidates.videoId, ids));
  const created = await db
    .select({ candidateId: schema.candidateEvents.candidateId, n: sql<number>`count(*)::int` })
    .from(schema.candidateEvents)
    .where(sql`${schema.candidateEvents.kind} = 'created' AND ${inArray(schema.candidateEvents.candidateId, candidates.length ? candidates.map((c) => c.id) : [-1])}`)
    .groupBy(schema.candidateEvents.candidateId);
  const windowKeys = windows.map((w) => `${w.videoId}:${w.ordinal}`);
  const duplicatedWindows = windowKeys.length - new Set(windowKeys).size;
  const perVideo = ids.map((id) => candidates.filter((c) => c.videoId === id));
  const duplicatedCandidates = perVideo.reduce((a, list) => a + Math.max(0, list.length - 1), 0) + created.filter((c) => c.n !== 1).length;
  const missingCandidates = perVideo.filter((list) => list.length === 0).length;
  const misnamed = candidates.filter((c) => !/ROUND LAB|라운드랩/i.test(c.productNameAi)).length;
  return { s, lost, duplicatedWindows, duplicatedCandidates, missingCandidates, misnamed, candidates: candidates.length };
}

test('20 × kill -9 of the app at random moments while a backlog of videos is analysed: none lost, none doubled', { timeout: 1_200_000 }, async () => {
  const db = await createTestDatabase('rcrash');
  cleanups.push(() => db.drop());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-rcrash-'));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const disconnect = await connect(db.url, dataDir);
  cleanups.push(disconnect);
  const ids = await queueBacklog(8);
  const env = { ...appEnv, DATABASE_URL: db.url };
  const t0 = Date.now();
  let server: TestServer | undefined;
  let duringAnalysis = 0;
  const uptimes: number[] = [];
  for (let kill = 1; kill <= 20; kill++) {
    // the backlog never runs dry before the kills are done: on a fast machine 8 fixture videos finish within the
    // first few seconds, and a kill with nothing in flight tests nothing
    const open = [...(await stages(ids)).values()].filter((v) => v.stage !== 'done' && v.stage !== 'failed').length;
    if (open < 4) ids.push(...(await queueBacklog(4, ids.length)));
    server = await startServer(env, { dataDir });
    const uptime = 2000 + Math.round(random() * 8000); // 2–10 s after it is healthy
    uptimes.push(uptime);
    await sleep(uptime);
    const before = await stages(ids);
    if ([...before.values()].some((v) => v.stage !== 'done' && v.stage !== 'failed')) duringAnalysis++;
    await server.stop('SIGKILL');
  }
  server = await startServer(env, { dataDir });
  cleanups.push(() => server!.stop());
  await waitAllFinished(ids, 600_000, () => server);
  const o = await checkOutcome(ids);
  const elapsed = Math.round((Date.now() - t0) / 1000);
  recordFigure({ area: AREA, name: 'app kill -9', value: 20, note: `random 2–10 s after each healthy start (seed ${seed}); ${duringAnalysis} while videos were still being analysed` });
  recordFigure({ area: AREA, name: 'videos in the backlog', value: ids.length, note: '60 s fixture vlog with captions, 3 frames per window; 8 at first, 4 more before a start that found fewer than 4 unfinished' });
  recordFigure({ area: AREA, name: 'videos lost (not done)', value: o.lost.length });
  recordFigure({ area: AREA, name: 'candidates duplicated', value: o.duplicatedCandidates, note: `${o.candidates} candidates for ${ids.length} videos; windows duplicated: ${o.duplicatedWindows}` });
  recordFigure({ area: AREA, name: 'time to all done (s)', value: elapsed, note: 'kills and restarts included; a killed job is retried after its heartbeat (20 s) lapses' });
  await server.stop();
  await disconnect();
  assert.ok(duringAnalysis >= 10, `only ${duringAnalysis} of 20 kills hit a backlog still in analysis`);
  assert.deepEqual(o.lost, [], `videos not done: ${JSON.stringify(o.lost.map((id) => ({ id, ...o.s.get(id) })))}`);
  assert.equal(o.duplicatedWindows, 0);
  assert.equal(o.duplicatedCandidates, 0);
  assert.equal(o.missingCandidates, 0, 'every video has its candidate');
  assert.equal(o.misnamed, 0, 'each candidate is the one an uninterrupted run makes');
});

test('3 × kill -9 of the embedded Postgres under the running app: it is restarted, nothing lost or doubled', { timeout: 900_000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-rpgkill-'));
  fs.chmodSync(dataDir, 0o711); // embedded Postgres runs as the "postgres" user when the tests run as root
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  // no DATABASE_URL: the app starts and owns its embedded Postgres under dataDir
  const server = await startServer({ ...appEnv, DATABASE_URL: '', EMBEDDED_PG_PORT: String(port) }, { dataDir });
  cleanups.push(() => server.stop());
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const disconnect = await connect(url, dataDir);
  const ids = await queueBacklog(4);
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  const downtimes: number[] = [];
  const t0 = Date.now();
  for (let kill = 1; kill <= 3; kill++) {
    await sleep(3000 + Math.round(random() * 5000));
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    // health says 503 while it is down, then 200 once the app has started it again
    for (;;) {
      await sleep(250);
      const res = await fetch(`${server.url}/api/health`).catch(() => null);
      const again = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
      if (res?.status === 200 && again && again !== pid) break;
      if (Date.now() - killedAt > 60_000) throw new Error(`Postgres not back 60 s after kill ${kill}\n${server.output().slice(-3000)}`);
    }
    downtimes.push(Date.now() - killedAt);
  }
  await waitAllFinished(ids, 600_000, () => server);
  const o = await checkOutcome(ids);
  recordFigure({ area: AREA, name: 'embedded Postgres kill -9', value: 3, note: `restarted by the app each time; back (health 200) after ${downtimes.map((d) => (d / 1000).toFixed(1)).join(', ')} s` });
  recordFigure({ area: AREA, name: 'videos lost after Postgres kills', value: o.lost.length, note: `${ids.length} videos queued before the first kill` });
  recordFigure({ area: AREA, name: 'candidates duplicated after Postgres kills', value: o.duplicatedCandidates, note: `windows duplicated: ${o.duplicatedWindows}; all done ${Math.round((Date.now() - t0) / 1000)} s after the first kill's wait began` });
  const logLines = server.output().split('\n').filter((l) => /"level":(40|50)/.test(l)).length;
  recordFigure({ area: AREA, name: 'warn/error log lines over the Postgres kills', value: logLines });
  await disconnect();
  assert.deepEqual(o.lost, [], `videos not done: ${JSON.stringify(o.lost.map((id) => ({ id, ...o.s.get(id) })))}`);
  assert.equal(o.duplicatedWindows, 0);
  assert.equal(o.duplicatedCandidates, 0);
  assert.equal(o.missingCandidates, 0);
});
