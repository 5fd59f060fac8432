import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';

// patches/@gutenye+ocr-common+1.4.8.patch: PP-OCR's image-to-tensor step writes one Float32Array instead of JS arrays.
// The module is not in the package's exports, so it is loaded by its file.
const require = createRequire(import.meta.url);
const buildDir = path.dirname(require.resolve('@gutenye/ocr-common')); // …/build/index.js
const { ModelBase } = (await import(pathToFileURL(path.join(buildDir, 'models/ModelBase.js')).href)) as {
  ModelBase: { prototype: { imageToInput(image: unknown, o: { mean?: number[]; std?: number[] }): { data: ArrayLike<number>; width: number; height: number } } };
};

/** The package's own version before the patch: B, G, R planes of (value / 255 - mean) / std. */
function original(image: { data: Uint8Array; width: number; height: number }, { mean = [0, 0, 0], std = [1, 1, 1] } = {}) {
  const R: number[] = [], G: number[] = [], B: number[] = [];
  for (let i = 0; i < image.data.length; i += 4) {
    R.push((image.data[i] / 255 - mean[0]) / std[0]);
    G.push((image.data[i + 1] / 255 - mean[1]) / std[1]);
    B.push((image.data[i + 2] / 255 - mean[2]) / std[2]);
  }
  return Float32Array.from([...B, ...G, ...R]);
}

test('the PP-OCR input patch is applied and gives the values the package computed before it', () => {
  const width = 37, height = 11;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 97 + 13) % 256;
  const image = { data, width, height };
  for (const o of [{}, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }]) {
    const out = ModelBase.prototype.imageToInput.call({}, image, o);
    assert.ok(out.data instanceof Float32Array, 'the patch is not applied (npm install runs patch-package)');
    assert.deepEqual([out.width, out.height], [width, height]);
    assert.deepEqual(out.data, original(image, o));
  }
});
