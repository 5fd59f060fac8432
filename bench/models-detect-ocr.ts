/**
 * Per-frame timings for detection and OCR on the fixture frame (not a test).
 *   MODELS_DIR=/work/shared/models node --import tsx bench/models-detect-ocr.ts [frame] [runs]
 */
import fs from 'node:fs';
import path from 'node:path';
import { detectObjects } from '@/src/models/detector';
import { closeOcr, readText } from '@/src/models/ocr';

const shared = path.resolve(process.env.SHARED_DIR ?? path.resolve(process.cwd(), '../shared'));
const frame = process.argv[2] ?? path.join(shared, 'models/fixtures/frame_roundlab_1280x720.jpg');
const runs = Number(process.argv[3] ?? 5);
process.env.LOG_LEVEL ??= 'warn';

async function time<T>(label: string, fn: () => Promise<T>): Promise<void> {
  const ms: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  const [first, ...rest] = ms;
  const sorted = [...rest].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `${label.padEnd(22)} first (incl. load) ${first.toFixed(0)} ms | median ${median.toFixed(0)} ms | per frame: ${rest.map((v) => v.toFixed(0)).join(', ')}`,
  );
}

async function main() {
  const buf = fs.readFileSync(frame);
  console.log(`frame ${frame} (${buf.length} bytes), ${runs} runs after a warm-up`);
  await time('detectObjects', () => detectObjects(buf));
  await time("readText 'latin'", () => readText(buf, { languages: 'latin' }));
  await time("readText 'hangul'", () => readText(buf, { languages: 'hangul' }));
  await time("readText 'both'", () => readText(buf));
  const rss = process.memoryUsage().rss / 1e6;
  console.log(`rss ${rss.toFixed(0)} MB`);
  await closeOcr();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
