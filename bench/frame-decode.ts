/**
 * `npm run bench:frames` → the frames of one product window (the fixture vlog's 19–31 s, with the span probing's
 * 8 s either side) read two ways, timed in the same run:
 * - one ffmpeg pass decoding the stretch at 4 fps (what the visual stage does, src/server/media/frames.ts);
 * - one ffmpeg process per frame seeking to it (what it did before), for the frames the old stage read per window
 *   (16 samples and 8 span probes).
 * Prints seconds for each and the ratio, with the machine's load.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeFrames, frameTimes } from '@/src/server/media/frames';
import { ffmpegPath } from '@/src/server/media/binaries';
import { machineLoad } from './lib/database';
import { reportFigures } from './lib/report';

process.env.LOG_LEVEL ??= 'warn';
const shared = path.resolve(process.env.SHARED_DIR ?? path.resolve(process.cwd(), '../shared'));
const video = process.argv[2] ?? path.join(shared, 'models', 'fixtures', 'vlog_roundlab_60s.mp4');
const [start, end] = [19, 31];
const RUNS = 5;

function seekOne(t: number, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-ss', t.toFixed(3), '-i', video, '-frames:v', '1', '-an', '-q:v', '2', out]);
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exit ${code}`))));
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-bench-frames-'));
const perFrameTimes = [...frameTimes(start, end, 16), 11, 15, 17, 18, 31, 35, 33, 32];
const pass: number[] = [];
const perFrame: number[] = [];
let frames = 0;
for (let i = 0; i < RUNS; i++) {
  let t0 = performance.now();
  frames = (await decodeFrames(video, start - 8, end + 8, { fps: 4, maxSide: 960 })).length;
  pass.push((performance.now() - t0) / 1000);
  t0 = performance.now();
  for (const t of perFrameTimes) await seekOne(t, path.join(tmp, `f-${t}.jpg`));
  perFrame.push((performance.now() - t0) / 1000);
}
fs.rmSync(tmp, { recursive: true, force: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\n## Frames of one window: one decode pass vs a process per frame (${machineLoad()}, median of ${RUNS})\n`);
console.log('| way | frames | seconds | per frame |');
console.log('|---|---|---|---|');
console.log(`| one ffmpeg pass, 4 fps over ${start - 8}–${end + 8} s | ${frames} | ${median(pass).toFixed(2)} | ${((median(pass) / frames) * 1000).toFixed(1)} ms |`);
console.log(`| one ffmpeg process per frame (seek) | ${perFrameTimes.length} | ${median(perFrame).toFixed(2)} | ${((median(perFrame) / perFrameTimes.length) * 1000).toFixed(1)} ms |`);
console.log(`\nratio (per-frame processes ÷ one pass): ${(median(perFrame) / median(pass)).toFixed(1)}× the time for ${(frames / perFrameTimes.length).toFixed(1)}× the frames`);
reportFigures('frames', [
  { name: 'per frame, one decode pass', value: (median(pass) / frames) * 1000, unit: 'ms', reference: `per frame, one process per frame ${((median(perFrame) / perFrameTimes.length) * 1000).toFixed(1)} ms` },
]);
