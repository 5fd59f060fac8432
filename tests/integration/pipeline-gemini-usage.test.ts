import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, mock, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini/server';
import { insertFixtureVideo, waitForStage } from '../helpers/pipeline';

/**
 * The usage ledger with the fake Gemini: GEMINI_MODEL names a model Google has shut down (a start-up warning says so),
 * Google answers with another model (modelVersion), and each row records that answering model and is priced by it,
 * the audio of a transcription at the model's audio rate.
 */
let db: { url: string; drop(): Promise<void> };
let app: typeof import('@/src/start');
let gemini: GeminiFake;
let dataDir: string;
const startWarnings: unknown[][] = [];

const ANSWERING = 'gemini-3.1-flash-lite'; // 0.25 input, 0.50 audio, 1.50 output per million tokens (models.json)

before(async () => {
  db = await createTestDatabase('pgemuse');
  gemini = await startGeminiFake({ apiKey: 'gemini-test-key', modelVersion: ANSWERING });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-pipeline-gemini-usage-'));
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    GEMINI_API_KEY: 'gemini-test-key',
    GEMINI_BASE_URL: gemini.url,
    GEMINI_MODEL: 'gemini-2.5-flash', // shut down by Google on 2026-12-01
  });
  for (const k of ['COUPANG_ACCESS_KEY', 'COUPANG_SECRET_KEY', 'APP_ROLE', 'WORKER_QUEUES', 'GEMINI_PRICE_INPUT_PER_MTOK', 'GEMINI_PRICE_AUDIO_INPUT_PER_MTOK', 'GEMINI_PRICE_OUTPUT_PER_MTOK']) {
    delete process.env[k];
  }
  (await import('@/src/server/config')).resetConfig();
  const logger = (await import('@/src/server/logger')).getLogger();
  const warn = mock.method(logger, 'warn', (...args: unknown[]) => {
    startWarnings.push(args);
  });
  app = await import('@/src/start');
  try {
    await app.startApp();
  } finally {
    warn.mock.restore();
  }
});

after(async () => {
  await app?.stopApp();
  await gemini?.close();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('start-up warns once, naming the configured model Google has shut down', () => {
  const lines = startWarnings.filter((a) => /GEMINI_MODEL=gemini-2\.5-flash was shut down by Google on 2026-12-01/.test(String(a[1])));
  assert.equal(lines.length, 1, JSON.stringify(startWarnings));
});

test('the ledger row records the answering model version and prices the audio at its audio rate', { timeout: 300_000 }, async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const { enqueue } = await import('@/src/server/queue');
  // No captions and no Whisper: Gemini transcribes the audio. 10,000 prompt tokens, 9,600 of them audio.
  gemini.reply(
    { segments: [{ start: 2, end: 8, text: '안녕하세요 여러분. 오늘은 제 아침 스킨케어 루틴을 보여드릴게요.' }] },
    { usage: { promptTokenCount: 10_000, candidatesTokenCount: 300, thoughtsTokenCount: 100, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 400 }, { modality: 'AUDIO', tokenCount: 9_600 }] } },
  );
  gemini.reply({ windows: [] }, { usage: { promptTokenCount: 2_000, candidatesTokenCount: 20 } });
  const videoId = await insertFixtureVideo({ captions: false, title: '자막 없는 브이로그 (사용량)' });
  await enqueue('video.transcript', { videoId: String(videoId) });
  const video = await waitForStage(videoId, ['done', 'failed']);
  assert.equal(video.stage, 'done', `video failed: ${video.errorMessage}`);
  assert.equal(gemini.calls().at(-2)?.model, 'gemini-2.5-flash', 'the configured model was requested');

  const rows = await getDb()
    .select()
    .from(schema.apiUsage)
    .where(and(eq(schema.apiUsage.provider, 'gemini'), eq(schema.apiUsage.videoId, videoId), eq(schema.apiUsage.outcome, 'ok')));
  const transcribe = rows.find((r) => r.operation === 'transcribe_audio');
  assert.ok(transcribe, JSON.stringify(rows));
  assert.equal(transcribe.modelVersion, ANSWERING, 'the model that answered, not the one requested');
  assert.equal(transcribe.inputTokens, 10_000);
  assert.equal(transcribe.audioInputTokens, 9_600);
  assert.equal(transcribe.outputTokens, 400, 'answer + thinking');
  // 400 text tokens at 0.25, 9,600 audio tokens at 0.50, 400 output tokens at 1.50 (USD per million).
  const expected = (400 * 0.25 + 9_600 * 0.5 + 400 * 1.5) / 1e6;
  assert.ok(Math.abs(Number(transcribe.costUsd) - expected) < 1e-6, `cost ${transcribe.costUsd}, expected ${expected}`);

  const windows = rows.find((r) => r.operation === 'find_windows');
  assert.equal(windows?.modelVersion, ANSWERING);
  assert.equal(windows?.audioInputTokens, 0);
  assert.ok(Math.abs(Number(windows?.costUsd) - (2_000 * 0.25 + 20 * 1.5) / 1e6) < 1e-6, `cost ${windows?.costUsd}`);
});
