import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, test } from 'node:test';
import { FIXTURES, exists, useModelsDir } from './helpers';

useModelsDir();
const { readText, closeOcr } = await import('@/src/models/ocr');
const { startPpocrThread } = await import('@/src/models/ppocr-thread');
const { ppocrPaths } = await import('@/src/models/registry');

after(() => closeOcr());

const frameFile = path.join(FIXTURES, 'frame_roundlab_1280x720.jpg');

test('PP-OCR reads in its own thread: the JavaScript thread stays free while it reads (event-loop utilisation)', { skip: exists(frameFile) ? false : `fixture frame not found under ${FIXTURES} (set SHARED_DIR)` }, async () => {
  const frame = fs.readFileSync(frameFile);
  await readText(frame, { languages: 'latin' }); // models loaded, thread started
  const before = performance.eventLoopUtilization();
  let lines = 0;
  for (let i = 0; i < 3; i++) lines += (await readText(frame, { languages: 'latin' })).length;
  const { utilization } = performance.eventLoopUtilization(before);
  assert.ok(lines > 0, 'PP-OCR read nothing on the fixture frame');
  // onnxruntime-node runs a session synchronously on its caller's thread: on the main thread this measured 0.73
  assert.ok(utilization < 0.5, `event loop busy ${utilization.toFixed(2)} of the time while PP-OCR read`);
});

test('a PP-OCR thread whose model cannot load says so, and a released thread refuses work', async () => {
  const models = ppocrPaths();
  await assert.rejects(
    startPpocrThread({ models: { ...models, detectionPath: path.join(path.dirname(models.detectionPath), 'missing.onnx') }, onnxOptions: {} }, () => {}),
    /PP-OCR could not load: .*missing\.onnx/,
  );
  let exited = 0;
  const thread = await startPpocrThread({ models, onnxOptions: {} }, () => exited++);
  await thread.release();
  await assert.rejects(thread.detect(Buffer.from('x')), /PP-OCR thread exited/);
  assert.equal(exited, 0, 'a release is not an unexpected stop');
});
