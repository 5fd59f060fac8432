import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test, type TestContext } from 'node:test';
import { sql } from 'drizzle-orm';
import { freePort } from '@/src/server/free-port';

/**
 * The database dies under the running app (kill -9 of the postmaster). The app must report the outage on
 * /api/health (503 naming the database) and the recovery (200), keep its pool and pg-boss workers working, and log a
 * handful of lines, not one per failed poll. Its own embedded Postgres it restarts (same data folder and port); an
 * external database (DATABASE_URL: here a second embedded Postgres the test runs) it waits for.
 * The app runs in-process; its logger is replaced to capture every line at info level.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-outage-'));
fs.chmodSync(tmp, 0o711); // embedded Postgres runs as the "postgres" user when the tests run as root
const lines: { level: number; msg: string; at: number }[] = [];
let app: typeof import('@/src/start');
let GET: typeof import('@/app/api/health/route').GET;
const stopExternal: (() => Promise<void>)[] = [];

type HealthBody = { status: string; database: { ok: boolean; embedded: boolean; error?: string; since?: string } };
async function health(): Promise<{ status: number; body: HealthBody }> {
  const res = await GET();
  return { status: res.status, body: (await res.json()) as HealthBody };
}

const postmasterPid = (dataDir: string) => {
  try {
    return Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return 0;
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the app on env; it is stopped when the calling test ends, passed or failed, so each test starts afresh. */
async function startAppOn(t: TestContext, env: Record<string, string>) {
  t.after(() => app.stopApp());
  Object.assign(process.env, env);
  (await import('@/src/server/config')).resetConfig();
  await app.startApp();
  assert.equal((await health()).status, 200, 'healthy before the outage');
}

/** Kills the postmaster of dataDir with SIGKILL; returns when it happened and the index of the next log line. */
function killPostgres(dataDir: string) {
  const pid = postmasterPid(dataDir);
  assert.ok(pid && alive(pid), 'Postgres runs');
  process.kill(pid, 'SIGKILL');
  return { pid, t0: Date.now(), from: lines.length };
}

/** Polls /api/health until its status and database.ok say up (200) or down (503). */
async function waitForHealth(status: 200 | 503, timeoutMs: number, killed?: number) {
  const until = Date.now() + timeoutMs;
  const reached = (h: { status: number; body: HealthBody }) => h.status === status && h.body.database.ok === (status === 200);
  let h = await health();
  while (!reached(h) && Date.now() < until) {
    await sleep(100);
    h = await health();
  }
  const why = `${JSON.stringify(h.body.database)}${killed ? ` (killed postmaster ${killed} ${alive(killed) ? 'still alive' : 'gone'})` : ''}`;
  assert.equal(h.status, status, why);
  assert.equal(h.body.database.ok, status === 200, why);
  return h;
}

/** After recovery: a query through getDb() works and a worker registered before the outage takes a new job. */
async function assertResumed() {
  const { getDb } = await import('@/src/server/db');
  const { enqueue, getBoss } = await import('@/src/server/queue');
  const rows = await getDb().execute(sql`select 1 as one`);
  assert.equal(Number(rows.rows[0].one), 1);
  const jobId = await enqueue('media.cleanup', {});
  assert.ok(jobId, 'the job was sent');
  let state: string | undefined;
  for (let i = 0; i < 120 && state !== 'completed'; i++) {
    state = (await getBoss().getJobById('media.cleanup', jobId))?.state;
    if (state !== 'completed') await sleep(250);
  }
  assert.equal(state, 'completed', 'a job sent after the recovery is processed by a worker');
}

/** One line per state change, not one per failed poll or query. */
function assertQuietLog(from: number, t0: number, timings: string) {
  const during = lines.slice(from);
  const noisy = during.filter((l) => l.level >= 40);
  const summary = during.map((l) => `+${l.at - t0} ms ${l.level} ${l.msg}`).join('\n');
  assert.ok(noisy.length < 20, `${noisy.length} warn/error lines over the outage:\n${summary}`);
  assert.equal(during.filter((l) => l.msg === 'database lost').length, 1, summary);
  assert.equal(during.filter((l) => l.msg === 'database back').length, 1, summary);
  console.log(`${timings}, ${noisy.length} warn/error lines of ${during.length}:\n${summary}`);
}

before(async () => {
  for (const k of ['GEMINI_API_KEY', 'COUPANG_ACCESS_KEY', 'COUPANG_SECRET_KEY', 'SLACK_WEBHOOK_URL', 'APP_ROLE', 'WORKER_QUEUES']) delete process.env[k];
  Object.assign(process.env, { API_TOKEN: 'outage-token-0123456789', ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'long-enough-pw' });
  const { createLogger } = await import('@/src/server/logger');
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        const { level, msg } = JSON.parse(line) as { level: number; msg: string };
        lines.push({ level, msg, at: Date.now() });
      }
      done();
    },
  });
  (globalThis as unknown as { __influenceLogger?: unknown }).__influenceLogger = createLogger(sink, 'info');
  app = await import('@/src/start');
  ({ GET } = await import('@/app/api/health/route'));
});

after(async () => {
  await app?.stopApp();
  for (const stop of stopExternal) await stop().catch(() => {});
  for (const dir of fs.readdirSync(tmp)) {
    const pid = postmasterPid(path.join(tmp, dir));
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL'); // a failed run must not leave a Postgres behind
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('kill -9 of the embedded Postgres: health reports it, the app restarts it, pool and workers resume, few log lines', async (t) => {
  const dataDir = path.join(tmp, 'embedded');
  await startAppOn(t, { DATABASE_URL: '', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) });
  const { pid, t0, from } = killPostgres(dataDir);

  const down = await waitForHealth(503, 10_000, pid);
  assert.match(down.body.database.error ?? '', /database unavailable since \d{4}-\d\d-\d\dT/, JSON.stringify(down.body.database));
  const detectedMs = Date.now() - t0;

  const up = await waitForHealth(200, 60_000);
  const recoveredMs = Date.now() - t0;
  assert.equal(up.body.database.ok, true);
  assert.equal(up.body.database.since, undefined);
  const restarted = postmasterPid(dataDir);
  assert.ok(restarted !== pid && alive(restarted), 'a new postmaster runs on the same data folder');

  await assertResumed();
  assertQuietLog(from, t0, `embedded: 503 after ${detectedMs} ms, 200 again after ${recoveredMs} ms, job done after ${Date.now() - t0} ms`);
});

test('kill -9 of an external database (DATABASE_URL): health reports it, the app waits for it and resumes', async (t) => {
  // The "external" server: an embedded Postgres of the test's own, which the app only connects to.
  const { startEmbeddedPostgres } = await import('@/src/server/db/embedded');
  const dataDir = path.join(tmp, 'external');
  const port = await freePort();
  const server = await startEmbeddedPostgres({ dataDir, port });
  stopExternal.push(server.stop);
  await startAppOn(t, { DATABASE_URL: server.url, DATA_DIR: path.join(tmp, 'app'), EMBEDDED_PG_PORT: String(await freePort()) });
  const { pid, t0, from } = killPostgres(dataDir);

  const down = await waitForHealth(503, 10_000, pid);
  assert.equal(down.body.database.embedded, false);
  assert.match(down.body.database.error ?? '', /database unavailable since \d{4}-\d\d-\d\dT/, JSON.stringify(down.body.database));
  await sleep(4000);
  assert.equal((await health()).status, 503, 'still down: nobody restarts a database the app does not own');
  assert.equal(alive(postmasterPid(dataDir)), false);

  const back = await startEmbeddedPostgres({ dataDir, port }); // the operator brings it back
  stopExternal.push(back.stop);
  assert.notEqual(postmasterPid(dataDir), pid);
  const restartedAt = Date.now() - t0;
  await waitForHealth(200, 60_000);
  const recoveredMs = Date.now() - t0;
  await assertResumed();
  // The watch's own check (backoff up to 30 s while down) logs the recovery.
  for (let i = 0; i < 400 && !lines.slice(from).some((l) => l.msg === 'database back'); i++) await sleep(100);
  assertQuietLog(from, t0, `external: restarted by the test at ${restartedAt} ms, 200 again after ${recoveredMs} ms`);
});
