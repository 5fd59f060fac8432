import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { candidatesOf, insertFixtureVideo, waitForStage } from '../helpers/pipeline';
import { startServer, type TestServer } from '../helpers/server';

/**
 * kill -9 of the app in the middle of a video's analysis, then a restart on the same database and data folder: the
 * lost jobs expire (heartbeat) and run again, and the video completes with no duplicate windows or candidates.
 * This test process only registers the video and sends the first job (APP_ROLE=web: no workers here).
 */
let db: { url: string; drop(): Promise<void> };
let dataDir: string;
let server: TestServer | undefined;
const env = () => ({
  DATABASE_URL: db.url,
  API_TOKEN: 'crash-test-token-0123456789',
  APP_ROLE: 'all', // this test process is 'web'; the servers run the workers
  VISUAL_FRAMES_PER_WINDOW: '3',
  GEMINI_API_KEY: '',
  COUPANG_ACCESS_KEY: '',
  COUPANG_SECRET_KEY: '',
});

before(async () => {
  db = await createTestDatabase('pcrash');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-crash-'));
  Object.assign(process.env, { DATABASE_URL: db.url, DATA_DIR: dataDir, APP_ROLE: 'web', LOG_LEVEL: 'warn' });
  (await import('@/src/server/config')).resetConfig();
  await (await import('@/src/server/db')).startDatabase();
  await (await import('@/src/server/queue')).startQueue();
});

after(async () => {
  await server?.stop();
  await (await import('@/src/server/queue')).stopQueue();
  await (await import('@/src/server/db')).stopDatabase();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('kill -9 during analysis, restart: the video completes without duplicates', { timeout: 420_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  server = await startServer(env(), { dataDir });
  const videoId = await insertFixtureVideo();
  await enqueue('video.transcript', { videoId: String(videoId) });
  const mid = await waitForStage(videoId, ['visual', 'synthesize', 'monetize', 'score', 'done', 'failed'], 120_000).catch((e) => {
    throw new Error(`${e.message}\n${server?.output().slice(-3000)}`);
  });
  assert.ok(['visual', 'synthesize'].includes(mid.stage), `killed while analysing (stage ${mid.stage})`);
  await server.stop('SIGKILL');

  server = await startServer(env(), { dataDir });
  const video = await waitForStage(videoId, ['done', 'failed'], 300_000).catch((e) => {
    throw new Error(`${e.message}\n${server?.output().slice(-3000)}`);
  });
  assert.equal(video.stage, 'done', `video failed after restart: ${video.errorMessage}`);
  const windows = await getDb().select().from(schema.windows).where(eq(schema.windows.videoId, videoId));
  assert.equal(new Set(windows.map((w) => w.ordinal)).size, windows.length);
  assert.ok(windows.every((w) => w.stage === 'done'));
  const list = await candidatesOf(videoId);
  assert.equal(list.length, 1, 'one candidate, no duplicates');
  assert.match(list[0].productNameAi, /ROUND LAB|라운드랩/i);
  const created = await getDb().select().from(schema.candidateEvents).where(eq(schema.candidateEvents.candidateId, list[0].id));
  assert.equal(created.filter((e) => e.kind === 'created').length, 1);
});
