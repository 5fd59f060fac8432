import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { detectObjectsBatch, type Detection as ModelDetection } from '@/src/models/detector';
import { readText, readTextByEngine, type OcrLine as ModelOcrLine } from '@/src/models/ocr';
import { yoloxStatus } from '@/src/models/registry';
import { getConfig } from '@/src/server/config';
import { getDb, schema, transaction } from '@/src/server/db';
import type { Detection, OcrLine } from '@/src/server/db/schema';
import { log } from '@/src/server/logger';
import { diskFullError, isDiskFull } from '@/src/server/media/disk-full';
import { decodeFrames, frameTimes, type DecodedFrame } from '@/src/server/media/frames';
import { mediaPaths, resolveMediaPath, toStoredPath } from '@/src/server/media/paths';
import { differenceHash, hammingDistance, laplacianVariance, selectFrames, type ScoredFrame } from './frame-quality';
import { EDGE_PRECISION_SEC, EDGE_PROBE_MAX_SEC, screenWords, showsProduct, visibleSpan, type Span } from './visible-span';

const { visualFindings, windows } = schema;
type Box = { x: number; y: number; width: number; height: number };

export type WindowRef = { id: number; videoId: number; start: number; end: number };

export type FrameFinding = {
  t: number;
  sharpness: number;
  image: Buffer;
  ocrLines: OcrLine[];
  detections: Detection[];
};

/** Frames are decoded once per window at this rate (the span's edges are timed to it) and at most this size. */
const DECODE_FPS = 1 / EDGE_PRECISION_SEC;
const DECODE_MAX_SIDE = 960;
/** Two frames this close in time and this similar (dHash bits) show the same thing: the span probe reuses the answer. */
const SAME_SCENE_SEC = 10;
const SAME_SCENE_BITS = 2;

/** Detections worth a crop: objects that can be products (people, vehicles, furniture … are not). */
const NOT_PRODUCTS = new Set(['person', 'car', 'bus', 'truck', 'train', 'airplane', 'boat', 'bench', 'dining table', 'bed', 'couch', 'toilet', 'tv']);

const area = (b: Box) => b.width * b.height;
function intersection(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
function union(boxes: Box[]): Box {
  const x1 = Math.min(...boxes.map((b) => b.x));
  const y1 = Math.min(...boxes.map((b) => b.y));
  const x2 = Math.max(...boxes.map((b) => b.x + b.width));
  const y2 = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}
function pad(b: Box, frac: number, w: number, h: number): Box {
  const px = b.width * frac;
  const py = b.height * frac;
  const x = Math.max(0, Math.floor(b.x - px));
  const y = Math.max(0, Math.floor(b.y - py));
  return { x, y, width: Math.min(w - x, Math.ceil(b.width + 2 * px)), height: Math.min(h - y, Math.ceil(b.height + 2 * py)) };
}

/**
 * The product region of a frame: the detected object that holds the most OCR text (a box, a bottle with its label),
 * else the area around the OCR lines (a product card), else the strongest product-like detection.
 */
export function productBox(f: Pick<FrameFinding, 'ocrLines' | 'detections'>): Box | null {
  const textBoxes = f.ocrLines.map((l) => l.box).filter((b): b is Box => !!b);
  const objects = f.detections.filter((d) => !NOT_PRODUCTS.has(d.label));
  if (textBoxes.length) {
    const holding = objects
      .map((d) => ({ d, held: textBoxes.reduce((s, b) => s + intersection(d.box, b) / Math.max(1, area(b)), 0) }))
      .filter((x) => x.held >= 1)
      .sort((a, b) => b.held - a.held || b.d.score - a.d.score)[0];
    return holding ? holding.d.box : union(textBoxes);
  }
  return objects[0]?.box ?? null;
}

/** How much a frame says about the product: readable text first, then product-like objects, then sharpness. */
export function evidenceScore(f: Pick<FrameFinding, 'ocrLines' | 'detections' | 'sharpness'>): number {
  const text = f.ocrLines.reduce((s, l) => s + l.text.replace(/\s/g, '').length * l.confidence, 0);
  const objects = f.detections.filter((d) => !NOT_PRODUCTS.has(d.label)).reduce((s, d) => s + d.score, 0);
  return text * 10 + objects * 5 + Math.min(f.sharpness, 1000) / 1000;
}

/**
 * Visual evidence of one window (PRODUCT.md step 7). One ffmpeg pass decodes the window and EDGE_PROBE_MAX_SEC either
 * side at DECODE_FPS (longer side ≤ DECODE_MAX_SIDE); everything below reads those frames, never the file again:
 * about 1 fps inside the window is scored, blurry and near-duplicate frames dropped, at most VISUAL_FRAMES_PER_WINDOW
 * kept; YOLOX detections as crop proposals (skipped with a log line when the model is not installed); OCR (PP-OCR +
 * Tesseract kor+eng) on every kept frame and on the product crop; the frames and one product crop written with sharp.
 * Then the product's time on screen is measured by following its words a few frames past the window's edges
 * (visible-span.ts): a frame that looks like one already read gets that answer, any other is read by the one OCR
 * engine that read the product on its best frame. Replaces the window's earlier findings and span, so a rerun leaves
 * the same rows.
 */
export async function analyzeWindowVisuals(
  win: WindowRef,
  sourceStoredPath: string,
  opts: { onProgress?: WindowProgress } = {},
): Promise<{ frames: number; ocrLines: number; cropPath: string | null; visible: Span | null }> {
  const progress = progressReporter(win, opts.onProgress);
  const source = resolveMediaPath(sourceStoredPath);
  const cap = getConfig().VISUAL_FRAMES_PER_WINDOW;
  const decoded = await decodeFrames(source, win.start - EDGE_PROBE_MAX_SEC, win.end + EDGE_PROBE_MAX_SEC, { fps: DECODE_FPS, maxSide: DECODE_MAX_SIDE });
  await progress(0.1);
  const frameAt = nearestFrame(decoded);
  // scored side by side: sharp works on its own threads, so both cores take part
  const samples = frameTimes(win.start, win.end, cap * 2).flatMap((t) => {
    const frame = frameAt(t);
    return frame ? [{ t, image: frame.image }] : []; // none past the end of the stream
  });
  const scored: ScoredFrame[] = await Promise.all(
    samples.map(async ({ t, image }) => ({ t, image, sharpness: await laplacianVariance(image), hash: await differenceHash(image) })),
  );
  const kept = selectFrames(scored, { max: cap });

  const detector = yoloxStatus();
  let detections: ModelDetection[][] = kept.map(() => []);
  if (kept.length && detector.present) detections = await detectObjectsBatch(kept.map((f) => f.image), { scoreThreshold: 0.3, maxDetections: 10 });
  else if (kept.length) log.info({ windowId: win.id }, 'visual: detector model not installed (npm run models:fetch); OCR only');
  await progress(0.25);

  const findings: FrameFinding[] = [];
  const byEngine = new Map<FrameFinding, EngineLines>();
  for (let i = 0; i < kept.length; i++) {
    const f = kept[i];
    const read = await readTextByEngine(f.image);
    const finding: FrameFinding = {
      t: f.t,
      sharpness: f.sharpness,
      image: f.image,
      ocrLines: read.lines.map((l: ModelOcrLine) => ({ text: l.text, confidence: l.confidence, engine: l.engine, box: l.box })),
      detections: detections[i].map((d) => ({ label: d.label, score: d.score, box: d.box })),
    };
    findings.push(finding);
    // OCR is most of a window's time: the bar moves with every frame read
    await progress(0.25 + (0.55 * (i + 1)) / kept.length);
    byEngine.set(finding, { ppocr: read.ppocr, tesseract: read.tesseract });
  }

  const best = findings.length ? findings.reduce((a, b) => (evidenceScore(b) > evidenceScore(a) ? b : a)) : null;
  let cropStored: string | null = null;
  if (best) {
    const meta = await sharp(best.image).metadata();
    const box = productBox(best);
    if (box && meta.width && meta.height) {
      const region = pad(box, 0.12, meta.width, meta.height);
      if (region.width >= 16 && region.height >= 16) {
        const crop = await sharp(best.image).extract({ left: region.x, top: region.y, width: region.width, height: region.height }).jpeg({ quality: 90 }).toBuffer();
        const cropPath = mediaPaths.crop(win.videoId, win.id, best.t);
        await writeAtomic(cropPath, crop);
        cropStored = toStoredPath(cropPath);
        // Tesseract on the crop: small text on a product reads better on its own (Tesseract upscales small images);
        // PP-OCR has read the whole frame at full size already
        const cropRead = await readTextByEngine(crop, { languages: 'hangul' });
        const known = new Set(best.ocrLines.map((l) => l.text.replace(/\s/g, '').toLowerCase()));
        for (const l of cropRead.lines) {
          if (!known.has(l.text.replace(/\s/g, '').toLowerCase())) best.ocrLines.push({ text: l.text, confidence: l.confidence, engine: `${l.engine}:crop` });
        }
        const mine = byEngine.get(best)!;
        byEngine.set(best, { ppocr: [...mine.ppocr, ...cropRead.ppocr], tesseract: [...mine.tesseract, ...cropRead.tesseract] });
      }
    }
  }

  // The product's words as read on its best frame (crop included); frames read the same words while it is on screen.
  const productWords = best ? screenWords(best.ocrLines) : new Set<string>();
  const follow = best ? followingEngine(byEngine.get(best)!, productWords) : null;
  const checked = new Map<number, { hash: bigint; shows: boolean }>();
  for (const f of findings) checked.set(f.t, { hash: scored.find((s) => s.t === f.t)!.hash, shows: showsProduct(f.ocrLines, productWords) });
  const visible = await visibleSpan({
    samples: scored.map((f) => f.t),
    known: new Map([...checked].map(([t, c]) => [t, c.shows])),
    probe: async (t) => {
      const frame = frameAt(t);
      if (!frame || !follow) return false;
      const hash = await differenceHash(frame.image);
      const twin = [...checked].find(([u, c]) => Math.abs(u - t) <= SAME_SCENE_SEC && hammingDistance(c.hash, hash) <= SAME_SCENE_BITS);
      const shows = twin ? twin[1].shows : showsProduct(await readText(frame.image, { languages: follow.languages }), follow.words);
      checked.set(t, { hash, shows });
      return shows;
    },
  });

  await progress(0.9);
  const rows: (typeof visualFindings.$inferInsert)[] = [];
  for (const f of findings) {
    const framePath = mediaPaths.frame(win.videoId, win.id, f.t);
    await writeAtomic(framePath, await sharp(f.image).jpeg({ quality: 85 }).toBuffer());
    rows.push({
      windowId: win.id,
      videoId: win.videoId,
      t: f.t,
      sharpness: f.sharpness,
      framePath: toStoredPath(framePath),
      cropPath: f === best ? cropStored : null,
      isBest: f === best,
      ocrLines: f.ocrLines,
      detections: f.detections,
    });
  }
  await transaction(async (tx) => {
    await tx.delete(visualFindings).where(eq(visualFindings.windowId, win.id));
    if (rows.length) await tx.insert(visualFindings).values(rows);
    await tx.update(windows).set({ visibleStart: visible?.start ?? null, visibleEnd: visible?.end ?? null }).where(eq(windows.id, win.id));
  });
  return { frames: rows.length, ocrLines: findings.reduce((s, f) => s + f.ocrLines.length, 0), cropPath: cropStored, visible };
}

type EngineLines = { ppocr: ModelOcrLine[]; tesseract: ModelOcrLine[] };

/**
 * The OCR engine that follows the product across frames: the one that read enough of its words on the best frame,
 * Tesseract first (the cheaper of the two at these sizes), with the words it read; both engines when neither did.
 */
function followingEngine(best: EngineLines, productWords: Set<string>): { languages: 'latin' | 'hangul' | 'both'; words: Set<string> } {
  const need = Math.min(2, productWords.size);
  for (const [languages, lines] of [['hangul', best.tesseract], ['latin', best.ppocr]] as const) {
    const words = new Set([...screenWords(lines)].filter((w) => productWords.has(w)));
    if (words.size > 0 && words.size >= need) return { languages, words };
  }
  return { languages: 'both', words: productWords };
}

/** The decoded frame nearest to t (within half a frame), or null outside the decoded stretch. */
function nearestFrame(frames: DecodedFrame[]): (t: number) => DecodedFrame | null {
  const from = frames[0]?.t ?? 0;
  return (t) => {
    const f = frames[Math.round((t - from) * DECODE_FPS)];
    return f && Math.abs(f.t - t) <= 0.5 / DECODE_FPS + 1e-6 ? f : null;
  };
}

async function writeAtomic(file: string, data: Buffer) {
  const tmp = `${file}.${process.pid}.part`;
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }); // no half-written image stays behind
    // named by its place in the video's folder, not by the server's path
    if (isDiskFull(err)) throw diskFullError(`${path.basename(path.dirname(file))}/${path.basename(file)}`);
    throw err;
  }
}

export async function findingsOfWindow(windowId: number) {
  return getDb().select().from(visualFindings).where(eq(visualFindings.windowId, windowId)).orderBy(visualFindings.t);
}

/** Told how much of a window's visual analysis is done (0..1), e.g. to move the video's progress bar. */
export type WindowProgress = (fraction: number) => Promise<void> | void;

/** A progress callback that never fails the analysis (a missed progress update is only a stale bar). */
function progressReporter(win: WindowRef, onProgress?: WindowProgress) {
  return async (fraction: number) => {
    if (!onProgress) return;
    try {
      await onProgress(Math.max(0, Math.min(1, fraction)));
    } catch (err) {
      log.warn({ windowId: win.id, err: (err as Error).message }, 'visual: progress not recorded');
    }
  };
}
