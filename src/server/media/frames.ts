import { spawn } from 'node:child_process';
import { ffmpegPath } from './binaries';
import { ffmpegFailed } from './run-ffmpeg';

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

export type DecodedFrame = { t: number; image: Buffer };

/**
 * Every frame of [from, to) at `fps` from ONE ffmpeg process (input seeking, then the fps filter), as JPEG, scaled so
 * the longer side is at most `maxSide` (the models read no more: PP-OCR and YOLOX resize below that). Frame k shows
 * time from + k/fps. Spawning a process per frame cost about a second each, most of it process start and seeking.
 */
export function decodeFrames(sourcePath: string, from: number, to: number, o: { fps: number; maxSide: number }): Promise<DecodedFrame[]> {
  const start = Math.max(0, from);
  const scale = `scale=w='trunc(min(iw,iw*${o.maxSide}/max(iw,ih))/2)*2':h=-2`;
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-ss', start.toFixed(3), '-t', Math.max(0, to - start).toFixed(3), '-i', sourcePath,
      '-an', '-vf', `fps=${o.fps},${scale}`, '-q:v', '3', '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(ffmpegFailed(code, signal, stderr));
      resolve(splitJpegs(Buffer.concat(chunks)).map((image, k) => ({ t: Math.round((start + k / o.fps) * 1000) / 1000, image })));
    });
  });
}

/** Splits an MJPEG stream into its JPEG images (each runs from FFD8 to FFD9; entropy-coded data never holds FFD9). */
export function splitJpegs(stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = stream.indexOf(SOI);
  while (at >= 0) {
    const end = stream.indexOf(EOI, at + 2);
    if (end < 0) break;
    out.push(stream.subarray(at, end + 2));
    at = stream.indexOf(SOI, end + 2);
  }
  return out;
}
const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);
