import fs from 'node:fs/promises';
import path from 'node:path';
import { runFfmpeg } from './run-ffmpeg';

/**
 * One frame at time `t` by input seeking (`-ss` before `-i`): ffmpeg jumps to the nearest keyframe and decodes only
 * from there, never the whole video. Returns the JPEG bytes (the caller decides what to keep on disk).
 */
export async function extractFrameAt(sourcePath: string, t: number, tmpDir: string): Promise<Buffer> {
  await fs.mkdir(tmpDir, { recursive: true });
  const out = path.join(tmpDir, `f-${process.pid}-${Math.round(t * 1000)}-${Math.random().toString(36).slice(2, 8)}.jpg`);
  try {
    await runFfmpeg(['-ss', t.toFixed(3), '-i', sourcePath, '-frames:v', '1', '-an', '-q:v', '2', out], { timeoutMs: 60_000 });
    return await fs.readFile(out);
  } finally {
    await fs.rm(out, { force: true });
  }
}

/** Sample times about `fps` per second inside [start, end), at most `max`, spread evenly when there are more. */
export function frameTimes(start: number, end: number, max: number, fps = 1): number[] {
  const step = 1 / fps;
  const all: number[] = [];
  for (let t = start + step / 2; t < end; t += step) all.push(Math.round(t * 1000) / 1000);
  if (all.length <= max) return all;
  const out: number[] = [];
  for (let i = 0; i < max; i++) out.push(all[Math.floor(((i + 0.5) * all.length) / max)]);
  return out;
}
