import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { differenceHash, hammingDistance, laplacianVariance, selectFrames, type ScoredFrame } from '@/src/server/visual/frame-quality';
import { evidenceScore, productBox } from '@/src/server/visual/analyze-window';
import { frameTimes } from '@/src/server/media/frames';

const flat = () => sharp({ create: { width: 320, height: 180, channels: 3, background: '#c9b9a6' } }).jpeg().toBuffer();
const card = (text: string) =>
  sharp({ create: { width: 320, height: 180, channels: 3, background: '#c9b9a6' } })
    .composite([{ input: Buffer.from(`<svg width="320" height="180"><rect x="60" y="30" width="200" height="120" fill="white"/><text x="80" y="100" font-size="28" fill="black">${text}</text></svg>`) }])
    .jpeg()
    .toBuffer();

test('a flat frame has no sharpness; a frame with text has a lot', async () => {
  assert.ok((await laplacianVariance(await flat())) < 5);
  assert.ok((await laplacianVariance(await card('ROUND LAB'))) > 50);
});

test('identical frames hash the same; different content differs', async () => {
  const a = await differenceHash(await card('ROUND LAB'));
  const b = await differenceHash(await card('ROUND LAB'));
  const c = await differenceHash(await flat());
  assert.equal(hammingDistance(a, b), 0);
  assert.ok(hammingDistance(a, c) > 5);
});

test('selectFrames drops blurry and duplicate frames, keeps at most max in time order, never none', () => {
  const f = (t: number, sharpness: number, hash: bigint): ScoredFrame => ({ t, sharpness, hash, image: Buffer.alloc(0) });
  const frames = [f(1, 0, 0n), f(2, 400, 0xffn), f(3, 410, 0xffn), f(4, 300, 0xff00ff00n), f(5, 5, 0x1234n), f(6, 350, 0xf0f0f0f0f0n)];
  const kept = selectFrames(frames, { max: 2 });
  assert.deepEqual(kept.map((k) => k.t), [3, 6]);
  assert.deepEqual(selectFrames([f(1, 0, 0n), f(2, 1, 1n)]).map((k) => k.t), [2]);
  assert.deepEqual(selectFrames([]), []);
});

test('frameTimes samples about 1 fps inside the window and spreads a cap evenly', () => {
  assert.deepEqual(frameTimes(19, 24, 10), [19.5, 20.5, 21.5, 22.5, 23.5]);
  const capped = frameTimes(0, 60, 4);
  assert.equal(capped.length, 4);
  assert.ok(capped.every((t) => t > 0 && t < 60));
  assert.ok(capped[3] - capped[0] > 30);
});

test('productBox prefers an object holding the text, else the text area; evidenceScore ranks text first', () => {
  const lines = [{ text: 'ROUND LAB', confidence: 0.9, engine: 'x', box: { x: 100, y: 50, width: 80, height: 20 } }];
  const holder = { label: 'bottle', score: 0.6, box: { x: 90, y: 40, width: 120, height: 100 } };
  const person = { label: 'person', score: 0.9, box: { x: 0, y: 0, width: 320, height: 180 } };
  assert.deepEqual(productBox({ ocrLines: lines, detections: [person, holder] }), holder.box);
  assert.deepEqual(productBox({ ocrLines: lines, detections: [] }), lines[0].box);
  assert.deepEqual(productBox({ ocrLines: [], detections: [person, holder] }), holder.box);
  assert.equal(productBox({ ocrLines: [], detections: [person] }), null);
  assert.ok(evidenceScore({ ocrLines: lines, detections: [], sharpness: 10 }) > evidenceScore({ ocrLines: [], detections: [holder], sharpness: 900 }));
});
