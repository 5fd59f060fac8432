import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { decodeFrames, splitJpegs } from '@/src/server/media/frames';

const shared = process.env.SHARED_DIR ?? path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared');
const fixture = path.join(shared, 'models', 'fixtures', 'vlog_roundlab_60s.mp4');

test('one ffmpeg pass gives every frame of the stretch at the asked rate, timed from its start, at most maxSide', async () => {
  const frames = await decodeFrames(fixture, 19, 31, { fps: 4, maxSide: 960 });
  assert.equal(frames.length, 48);
  assert.deepEqual(frames.slice(0, 3).map((f) => f.t), [19, 19.25, 19.5]);
  assert.equal(frames.at(-1)!.t, 30.75);
  const meta = await sharp(frames[10].image).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 640, 360]);
  const small = await decodeFrames(fixture, 0, 2, { fps: 2, maxSide: 320 });
  assert.equal(small.length, 4);
  assert.equal((await sharp(small[0].image).metadata()).width, 320);
});

test('a stretch before the start is clamped to 0, past the end gives only what exists; a bad file is an error', async () => {
  const early = await decodeFrames(fixture, -8, 1, { fps: 4, maxSide: 960 });
  assert.equal(early[0].t, 0);
  assert.equal(early.length, 4);
  const late = await decodeFrames(fixture, 58, 70, { fps: 4, maxSide: 960 });
  assert.ok(late.length >= 7 && late.length <= 9, `${late.length} frames`);
  const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ii-frames-')), 'broken.mp4');
  fs.writeFileSync(bad, Buffer.alloc(4096, 7));
  await assert.rejects(decodeFrames(bad, 0, 1, { fps: 1, maxSide: 960 }), /ffmpeg failed/);
  fs.rmSync(path.dirname(bad), { recursive: true, force: true });
});

test('an MJPEG stream splits into its images', () => {
  const a = Buffer.from([0xff, 0xd8, 1, 2, 0xff, 0x00, 0xff, 0xd9]);
  const b = Buffer.from([0xff, 0xd8, 3, 0xff, 0xd9]);
  assert.deepEqual(splitJpegs(Buffer.concat([a, b])), [a, b]);
  assert.deepEqual(splitJpegs(Buffer.concat([a, Buffer.from([0xff, 0xd8, 9])])), [a], 'a cut-off image is dropped');
});
