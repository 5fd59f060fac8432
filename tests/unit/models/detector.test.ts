import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { MODELS_DIR, TEST_IMAGES, FIXTURES, exists, useModelsDir } from './helpers';

useModelsDir();
const { detectObjects, detectObjectsBatch, decodeYolox, nmsClassAware, letterbox } = await import('@/src/models/detector');
const { COCO80 } = await import('@/src/models/coco-labels');
const { cachedModelKeys } = await import('@/src/models/runtime');

const MODEL = path.join(MODELS_DIR, 'yolox-nano/yolox_nano.onnx');
const skip = exists(MODEL) ? false : `YOLOX model not found at ${MODEL} (set MODELS_DIR)`;

function near(actual: number, expected: number, tol: number, what: string) {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} not within ±${tol} of ${expected}`);
}

describe('detector pure logic', () => {
  test('COCO labels: 80 names in YOLOX order', () => {
    assert.equal(COCO80.length, 80);
    assert.equal(COCO80[0], 'person');
    assert.equal(COCO80[15], 'cat');
    assert.equal(COCO80[41], 'cup');
    assert.equal(COCO80[79], 'toothbrush');
  });

  test('decode maps grid cells back to original pixels and clips', () => {
    const out = new Float32Array(3549 * 85);
    // stride-8 cell (gx=10, gy=5): centre (10.5*8, 5.5*8) = (84, 44), size 8*e^2 ≈ 59.1
    const row = 5 * 52 + 10;
    out.set([0.5, 0.5, 2, 2, 0.9], row * 85);
    out[row * 85 + 5 + 41] = 0.8; // cup
    // last stride-32 cell, huge box → clipped to the image
    const last = 3548;
    out.set([0.5, 0.5, 5, 5, 1], last * 85);
    out[last * 85 + 5] = 0.5; // person
    const dets = decodeYolox(out, { ratio: 0.5, width: 832, height: 600 }, 0.3);
    assert.equal(dets.length, 2);
    const cup = dets.find((d) => d.label === 'cup')!;
    near(cup.score, 0.72, 1e-6, 'score = obj × class');
    const half = (8 * Math.exp(2)) / 2;
    near(cup.box.x, (84 - half) / 0.5, 1e-3, 'x');
    near(cup.box.y, (44 - half) / 0.5, 1e-3, 'y');
    near(cup.box.width, (2 * half) / 0.5, 1e-3, 'width');
    const person = dets.find((d) => d.label === 'person')!;
    assert.ok(person.box.x + person.box.width <= 832 && person.box.y + person.box.height <= 600, 'clipped');
    assert.throws(() => decodeYolox(new Float32Array(85 * 10), { ratio: 1, width: 1, height: 1 }, 0.3), /unexpected/);
  });

  test('NMS is class-aware', () => {
    const box = { x: 0, y: 0, width: 100, height: 100 };
    const shifted = { x: 5, y: 5, width: 100, height: 100 };
    const far = { x: 300, y: 300, width: 50, height: 50 };
    const kept = nmsClassAware(
      [
        { label: 'cup', classId: 41, score: 0.6, box: shifted },
        { label: 'cup', classId: 41, score: 0.9, box },
        { label: 'bottle', classId: 39, score: 0.5, box },
        { label: 'cup', classId: 41, score: 0.4, box: far },
      ],
      0.45,
    );
    assert.deepEqual(
      kept.map((k) => [k.label, k.score]),
      [['cup', 0.9], ['bottle', 0.5], ['cup', 0.4]],
    );
  });

  test('letterbox keeps aspect, pads bottom/right with 114, BGR planar', async () => {
    const sharp = (await import('sharp')).default;
    // 832×416 pure red → resized to 416×208, rows 208.. padded
    const png = await sharp({ create: { width: 832, height: 416, channels: 3, background: { r: 255, g: 0, b: 0 } } })
      .png()
      .toBuffer();
    const lb = await letterbox(png);
    assert.equal(lb.ratio, 0.5);
    const plane = 416 * 416;
    assert.equal(lb.data[0], 0, 'B of a red pixel');
    assert.equal(lb.data[2 * plane], 255, 'R of a red pixel');
    assert.equal(lb.data[300 * 416 + 10], 114, 'padding below');
    assert.equal(lb.data[2 * plane + 415 * 416 + 415], 114, 'padding corner');
  });
});

describe('detector on real photos', { skip }, () => {
  test('coffee.png → cup ≈0.90 at ≈162,15,422,293', async () => {
    const dets = await detectObjects(path.join(TEST_IMAGES, 'coffee.png'));
    const cup = dets.find((d) => d.label === 'cup');
    assert.ok(cup, `no cup in ${JSON.stringify(dets)}`);
    assert.equal(cup.classId, 41);
    near(cup.score, 0.9, 0.03, 'cup score');
    near(cup.box.x, 162, 6, 'x1');
    near(cup.box.y, 15, 6, 'y1');
    near(cup.box.x + cup.box.width, 422, 6, 'x2');
    near(cup.box.y + cup.box.height, 293, 6, 'y2');
    assert.equal(dets[0].label, 'cup', 'best first');
  });

  test('chelsea.png (as Buffer) → cat ≈0.64 covering the image', async () => {
    const buf = fs.readFileSync(path.join(TEST_IMAGES, 'chelsea.png'));
    const dets = await detectObjects(buf);
    const cat = dets.find((d) => d.label === 'cat');
    assert.ok(cat, `no cat in ${JSON.stringify(dets)}`);
    near(cat.score, 0.64, 0.03, 'cat score');
    assert.ok(cat.box.width > 400 && cat.box.height > 250, `cat box ${JSON.stringify(cat.box)}`);
    assert.ok(cat.box.x + cat.box.width <= 451 && cat.box.y + cat.box.height <= 300, 'clipped to 451×300');
  });

  test('threshold option filters, batch equals single calls, one session per process', async () => {
    const coffee = path.join(TEST_IMAGES, 'coffee.png');
    const high = await detectObjects(coffee, { scoreThreshold: 0.8 });
    assert.deepEqual(high.map((d) => d.label), ['cup']);
    const batch = await detectObjectsBatch([coffee, path.join(TEST_IMAGES, 'chelsea.png'), path.join(FIXTURES, 'frame_roundlab_1280x720.jpg')]);
    assert.equal(batch.length, 3);
    assert.deepEqual(batch[0], await detectObjects(coffee));
    assert.ok(batch[1].some((d) => d.label === 'cat'));
    assert.equal(cachedModelKeys().filter((k) => k.includes('yolox_nano.onnx')).length, 1);
  });

  test('unreadable image is a bad_request error', async () => {
    await assert.rejects(detectObjects(Buffer.from('not an image')), (e: Error & { code?: string }) => e.code === 'bad_request');
  });

  test('a model that arrives while the process runs (background download) is used without a restart', async () => {
    const os = await import('node:os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'detector-late-'));
    const late = path.join(dir, 'yolox-nano/yolox_nano.onnx');
    try {
      const coffee = path.join(TEST_IMAGES, 'coffee.png');
      await assert.rejects(detectObjects(coffee, { modelPath: late }), (e: Error & { code?: string }) => e.code === 'not_configured');
      assert.equal(cachedModelKeys().some((k) => k.includes(dir)), false, 'a missing model is not cached as missing');
      fs.mkdirSync(path.dirname(late), { recursive: true });
      fs.copyFileSync(MODEL, `${late}.part-test`);
      fs.renameSync(`${late}.part-test`, late); // as fetch.ts installs it
      const dets = await detectObjects(coffee, { modelPath: late });
      assert.equal(dets[0]?.label, 'cup');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
