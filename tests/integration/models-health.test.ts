import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase } from '../helpers/db';
import { startModelHost, type ModelHost, type ModelHostFile } from '../fakes/model-host/server';

/**
 * /api/health reports each model's download state: the app is started in-process the way instrumentation.ts starts
 * it (startApp, then startBackgroundWork) with MODELS_BASE_URL on a fake host that holds every file half-way until
 * released, and the health route handler is called directly. The YOLOX file served is a fake, so against the
 * official sha256 (production configuration, nothing injected) it ends as a checksum mismatch.
 */
const WHISPER = 'test-org/whisper-tiny';
const TOKEN = 'models-health-token-0123456789';
let db: { url: string; drop(): Promise<void> };
let host: ModelHost;
let tmp: string;
let app: typeof import('@/src/start');
let GET: typeof import('@/app/api/health/route').GET;

type HealthModel = { name: string; state: string; reason?: string; present: boolean; progress?: { percent: number | null; bytesDone: number }; unverifiedFiles?: string[] };
async function health(): Promise<{ status: number; body: { status: string; models: HealthModel[] } }> {
  const res = await GET();
  return { status: res.status, body: await res.json() };
}
const model = (h: { models: HealthModel[] }, prefix: string) => h.models.find((m) => m.name.startsWith(prefix))!;

before(async () => {
  const { whisperFiles, YOLOX_REL_PATH } = await import('@/src/models/registry');
  const files: Record<string, ModelHostFile> = { [YOLOX_REL_PATH]: { body: Buffer.alloc(128 * 1024, 7) } };
  for (const f of whisperFiles('q8')) {
    const body = Buffer.alloc(f.endsWith('.onnx') ? 64 * 1024 : 64, 1);
    files[`${WHISPER}/${f}`] = f.endsWith('.onnx') ? { body, linkedSha256: createHash('sha256').update(body).digest('hex') } : { body };
  }
  host = await startModelHost(files);
  db = await createTestDatabase('models');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-models-health-'));
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    DATA_DIR: tmp,
    MODELS_DIR: path.join(tmp, 'models'),
    MODELS_BASE_URL: `${host.url}/hold`,
    MODELS_AUTO_FETCH: 'all',
    MODELS_STALL_TIMEOUT_SEC: '30',
    WHISPER_MODEL: WHISPER,
    INFER_DEVICE: 'cpu',
    LOG_LEVEL: 'error',
    API_TOKEN: TOKEN,
    ADMIN_EMAIL: 'ops@example.com',
    ADMIN_PASSWORD: 'long-enough-pw',
  });
  for (const k of ['APP_ROLE', 'WORKER_QUEUES']) delete process.env[k];
  (await import('@/src/server/config')).resetConfig();
  app = await import('@/src/start');
  ({ GET } = await import('@/app/api/health/route'));
  await app.startApp();
});

after(async () => {
  await app?.stopApp();
  await host?.stop();
  await db?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('health shows each model downloading with its progress, then its outcome, without waiting for it', async () => {
  app.startBackgroundWork();
  let h = await health();
  for (let i = 0; i < 200 && !(model(h.body, 'yolox').progress?.bytesDone ?? 0); i++) {
    await new Promise((r) => setTimeout(r, 25));
    h = await health();
  }
  assert.equal(h.status, 200, 'a download in progress does not make the app unhealthy');
  assert.equal(h.body.status, 'ok');
  const yolox = model(h.body, 'yolox-nano');
  assert.equal(yolox.state, 'downloading', JSON.stringify(yolox));
  assert.equal(yolox.present, false);
  assert.ok(yolox.progress && yolox.progress.percent !== null && yolox.progress.percent > 0 && yolox.progress.percent < 100, JSON.stringify(yolox.progress));
  assert.equal(model(h.body, 'whisper:').state, 'queued');
  assert.ok(h.body.models.every((m) => typeof m.state === 'string'), 'every model has a state, the npm-packaged OCR models too');
  assert.equal(model(h.body, 'ppocr').state, 'present');

  host.release();
  for (let i = 0; i < 400; i++) {
    h = await health();
    if (!h.body.models.some((m) => m.state === 'downloading' || m.state === 'queued')) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const y = model(h.body, 'yolox-nano');
  assert.deepEqual([y.state, y.reason, y.present], ['failed', 'checksum_mismatch', false], 'the fake file is not the official release');
  const w = model(h.body, 'whisper:');
  assert.deepEqual([w.state, w.present], ['present', true]);
  assert.equal(w.unverifiedFiles?.length, 5, 'the five JSON files were trusted on first download');
  assert.ok(host.hits.some((p) => p.startsWith('/hold/yolox-nano/')), 'MODELS_BASE_URL mirrors the relative paths');
});

test('the 운영 page\'s retry (POST /api/v1/ops/models/retry) tries the failed model once more, in the background', async () => {
  const { POST } = await import('@/app/api/v1/ops/models/retry/route');
  const yoloxHits = () => host.hits.filter((p) => p.includes('yolox')).length;
  const before = yoloxHits();
  // (No cookie path here: next/headers needs a real request context; a wrong token takes the same refusal.)
  const denied = await POST(new Request('http://localhost/api/v1/ops/models/retry', { method: 'POST', headers: { authorization: 'Bearer not-the-token-0123456789' } }), { params: Promise.resolve({}) });
  assert.equal(denied.status, 401);
  const res = await POST(new Request('http://localhost/api/v1/ops/models/retry', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } }), { params: Promise.resolve({}) });
  assert.equal(res.status, 202);
  const body = (await res.json()) as { models: { name: string; state: string }[] };
  assert.ok(['queued', 'downloading'].includes(body.models.find((m) => m.name === 'yolox-nano')!.state), JSON.stringify(body));
  let h = await health();
  for (let i = 0; i < 400 && h.body.models.some((m) => m.state === 'downloading' || m.state === 'queued'); i++) {
    await new Promise((r) => setTimeout(r, 25));
    h = await health();
  }
  assert.equal(model(h.body, 'yolox-nano').reason, 'checksum_mismatch');
  assert.equal(yoloxHits(), before + 1, 'one more attempt, Whisper (present) not fetched again');
});
