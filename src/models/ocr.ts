import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Worker as TesseractWorker } from 'tesseract.js';
import { mergeLines, type OcrBox, type OcrLine } from '@/src/models/ocr-merge';
import { ppocrPaths, tesseractDataFiles } from '@/src/models/registry';
import { startPpocrThread, type PpocrThread } from '@/src/models/ppocr-thread';
import { evictModels, executionProviders, loadOnce } from '@/src/models/runtime';
import { DomainError } from '@/src/server/errors';
import { log } from '@/src/server/logger';

export type { OcrBox, OcrLine } from '@/src/models/ocr-merge';

/**
 * Text lines in an image from two engines, merged:
 * - PP-OCRv4 via @gutenye/ocr-node (onnxruntime, in its own thread: ppocr-thread.ts; good at Latin/brand text, cannot
 *   read Hangul);
 * - Tesseract 5 (tesseract.js 7, WASM in a worker thread) with `kor+eng` best_int data from @tesseract.js-data,
 *   read from a local langPath folder (no network). One long-lived worker per process, created lazily; call
 *   closeOcr() on shutdown (and in tests) or the worker thread keeps the process alive.
 * Tesseract gets a greyscale, median-filtered copy (the fixture frame's gaussian noise otherwise turns
 * "라운드랩" into junk), upscaled (at most 2×) towards TESSERACT_TARGET_PX when the image is small. PP-OCR gets the image as is (it resizes itself; 2× made
 * it merge words and add junk on the fixtures).
 */
export interface ReadTextOptions {
  /** 'latin' → PP-OCR only, 'hangul' → Tesseract (kor+eng) only, 'both' (default) → both, merged. */
  languages?: 'latin' | 'hangul' | 'both';
  /** Drop lines below this confidence (0–1, default 0.4). */
  minConfidence?: number;
}

/** Tesseract reads small text better enlarged: images are upscaled (at most 2×) until their longer side reaches this. */
export const TESSERACT_TARGET_PX = 1280;

interface Decoded {
  png: Buffer; // original pixels, PNG (lossless) for PP-OCR
  width: number;
  height: number;
}

async function decode(image: Buffer | string): Promise<Decoded> {
  try {
    const { data, info } = await sharp(image).rotate().png({ compressionLevel: 1 }).toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height };
  } catch (err) {
    throw new DomainError('bad_request', `not a readable image: ${(err as Error).message}`);
  }
}

// ---------- PP-OCR ----------

function ppocr(): Promise<PpocrThread> {
  const models = ppocrPaths();
  return loadOnce('ppocr', models.detectionPath, (device) =>
    // no CPU memory arena: PP-OCR's input size changes with every frame and text crop, and the arena keeps the largest
    // allocation for good (peak RSS 745 → 695 MB over eight 960×540 reads, no measurable slowdown)
    startPpocrThread({ models, onnxOptions: { executionProviders: executionProviders(device), enableCpuMemArena: false } }, () => {
      log.warn('PP-OCR thread stopped unexpectedly; the next read starts it again');
      void evictModels((k) => k.startsWith('ppocr:'));
    }),
  );
}

function pointsToBox(points: number[][] | undefined, scale: number, w: number, h: number): OcrBox | undefined {
  if (!points?.length) return undefined;
  const xs = points.map((p) => p[0] / scale);
  const ys = points.map((p) => p[1] / scale);
  const x = Math.max(0, Math.min(...xs));
  const y = Math.max(0, Math.min(...ys));
  const x2 = Math.min(w, Math.max(...xs));
  const y2 = Math.min(h, Math.max(...ys));
  return { x: Math.round(x), y: Math.round(y), width: Math.round(x2 - x), height: Math.round(y2 - y) };
}

async function readPpocr(img: Decoded): Promise<OcrLine[]> {
  // The detector resizes to multiples of 32 with fit 'contain' (scale + centring); padding bottom/right to a
  // multiple of 32 first makes that resize an identity, so its boxes are in our pixel coordinates.
  const padW = Math.ceil(img.width / 32) * 32 - img.width;
  const padH = Math.ceil(img.height / 32) * 32 - img.height;
  const input =
    padW || padH
      ? await sharp(img.png)
          .extend({ right: padW, bottom: padH, background: { r: 255, g: 255, b: 255, alpha: 1 } })
          .png({ compressionLevel: 1 })
          .toBuffer()
      : img.png;
  const ocr = await ppocr();
  const lines = await ocr.detect(input);
  return lines
    // The PP-OCR dictionary is Chinese: on Hangul it emits Han characters; our videos carry none worth keeping.
    .filter((l) => l.text.trim() && !/\p{Script=Han}/u.test(l.text))
    .map((l) => ({
      text: l.text.trim().replace(/\s+/g, ' '),
      confidence: Math.round(l.mean * 1000) / 1000,
      box: pointsToBox(l.box, 1, img.width, img.height),
      engine: 'ppocr' as const,
    }));
}

// ---------- Tesseract ----------

const g = globalThis as unknown as { __influenceTesseract?: Promise<TesseractWorker> };

/** A folder holding kor.traineddata.gz and eng.traineddata.gz (symlinks into node_modules) plus the cache. */
function tesseractDirs(): { langPath: string; cachePath: string } {
  const files = tesseractDataFiles();
  const stamp = files.map((f) => `${f.lang}-${fs.statSync(f.file).size}`).join('_');
  const cachePath = path.join(os.tmpdir(), 'influence-item-tesseract', stamp);
  const langPath = path.join(cachePath, 'lang');
  fs.mkdirSync(langPath, { recursive: true });
  for (const f of files) {
    const link = path.join(langPath, `${f.lang}.traineddata.gz`);
    try {
      if (fs.realpathSync(link) === fs.realpathSync(f.file)) continue;
      fs.rmSync(link, { force: true });
    } catch {
      fs.rmSync(link, { force: true });
    }
    try {
      fs.symlinkSync(f.file, link);
    } catch {
      fs.copyFileSync(f.file, link); // e.g. a filesystem without symlinks
    }
  }
  return { langPath, cachePath };
}

function tesseract(): Promise<TesseractWorker> {
  g.__influenceTesseract ??= (async () => {
    const started = Date.now();
    const { createWorker, OEM } = await import('tesseract.js');
    const { langPath, cachePath } = tesseractDirs();
    const worker = await createWorker('kor+eng', OEM.LSTM_ONLY, { langPath, cachePath, gzip: true });
    log.info({ ms: Date.now() - started, langPath }, 'tesseract kor+eng worker started');
    return worker;
  })();
  g.__influenceTesseract.catch(() => (g.__influenceTesseract = undefined));
  return g.__influenceTesseract;
}

async function readTesseract(img: Decoded): Promise<OcrLine[]> {
  const scale = Math.min(2, Math.max(1, TESSERACT_TARGET_PX / Math.max(img.width, img.height)));
  let pipeline = sharp(img.png).greyscale().median(3);
  if (scale !== 1) pipeline = pipeline.resize(Math.round(img.width * scale), Math.round(img.height * scale), { kernel: 'cubic' });
  const input = await pipeline.png({ compressionLevel: 1 }).toBuffer();
  const worker = await tesseract();
  const { data } = await worker.recognize(input, {}, { blocks: true, text: false });
  const lines = (data.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
  return lines
    .map((l) => ({
      text: l.text.trim().replace(/\s+/g, ' '),
      confidence: Math.round(l.confidence * 10) / 1000,
      box: pointsToBox(
        [
          [l.bbox.x0, l.bbox.y0],
          [l.bbox.x1, l.bbox.y1],
        ],
        scale,
        img.width,
        img.height,
      ),
      engine: 'tesseract' as const,
    }))
    .filter((l) => l.text);
}

// ---------- public ----------

/** Reads text lines from an image (path or encoded bytes); boxes in original pixel coordinates. */
export async function readText(image: Buffer | string, opts: ReadTextOptions = {}): Promise<OcrLine[]> {
  return (await readTextByEngine(image, opts)).lines;
}

/** readText, with each engine's own lines beside the merged ones (to tell which engine can follow a product). */
export async function readTextByEngine(
  image: Buffer | string,
  opts: ReadTextOptions = {},
): Promise<{ lines: OcrLine[]; ppocr: OcrLine[]; tesseract: OcrLine[] }> {
  const languages = opts.languages ?? 'both';
  const minConfidence = opts.minConfidence ?? 0.4;
  const img = await decode(image);
  const [a, b] = await Promise.all([
    languages !== 'hangul' ? readPpocr(img) : [],
    languages !== 'latin' ? readTesseract(img) : [],
  ]);
  const ppocr = a.filter((l) => l.confidence >= minConfidence);
  const tesseract = b.filter((l) => l.confidence >= minConfidence);
  return { lines: mergeLines([...ppocr, ...tesseract]), ppocr, tesseract };
}

/** Terminates the Tesseract worker and releases the PP-OCR sessions (the next readText starts them again). */
export async function closeOcr(): Promise<void> {
  const w = g.__influenceTesseract;
  g.__influenceTesseract = undefined;
  if (w) await (await w.catch(() => undefined))?.terminate();
  await evictModels((k) => k.startsWith('ppocr:'));
}
