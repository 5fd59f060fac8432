import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { YTDLP_FAKE_PATH } from '../fakes/index';

/**
 * The default setup: no DATABASE_URL, embedded Postgres under DATA_DIR. kill -9 of the app leaves Postgres
 * orphaned; the next start must recover it and find the same data. SIGTERM must stop Postgres too.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ii-embedded-"));
const TOKEN = 'embedded-token-0123456789';
// a submitted YouTube URL needs something to analyse it: yt-dlp (the fake, answering "unavailable")
const env = { DATABASE_URL: '', API_TOKEN: TOKEN, EMBEDDED_PG_PORT: String(55000 + (process.pid % 5000)), YTDLP_PATH: YTDLP_FAKE_PATH, FAKE_YTDLP_FAIL: '1' };
let server: TestServer | undefined;

after(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const pgPid = () => Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('embedded Postgres: first start prints credentials, survives kill -9, stops on SIGTERM', async () => {
  server = await startServer(env, { dataDir });
  assert.match(server.output(), /first operator created[\s\S]*password: \S{12,}/);
  const health = await (await fetch(`${server.url}/api/health`)).json();
  assert.equal(health.database.embedded, true);
  assert.equal(health.database.ok, true);

  const created = await fetch(`${server.url}/api/v1/videos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: 'https://youtu.be/M7lc1UVf-VE' }),
  });
  assert.equal(created.status, 202);
  const { id } = await created.json();

  const orphan = pgPid();
  await server.stop('SIGKILL');
  assert.equal(alive(orphan), true, 'Postgres is orphaned after kill -9');

  server = await startServer(env, { dataDir });
  assert.doesNotMatch(server.output(), /first operator created/, 'credentials are printed only once');
  const again = await fetch(`${server.url}/api/v1/videos/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(again.status, 200);
  assert.equal((await again.json()).youtubeId, 'M7lc1UVf-VE');
  assert.equal(alive(orphan), false, 'the orphan was stopped and replaced');

  const current = pgPid();
  const code = await server.stop('SIGTERM');
  server = undefined;
  assert.equal(code, 0);
  // pg_ctl stop -w returns once the server has shut down; the process itself may need a moment to be reaped.
  for (let i = 0; i < 50 && alive(current); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(current), false, 'SIGTERM stops the embedded Postgres');
  assert.equal(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), false);
});
