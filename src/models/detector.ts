import sharp, { type OutputInfo } from 'sharp';
import { COCO80 } from '@/src/models/coco-labels';
import { fileReady, presentModelSha256, yoloxPath } from '@/src/models/registry';
import { getSession, ortModule } from '@/src/models/runtime';
import { DomainError } from '@/src/server/errors';

/**
 * YOLOX-Nano (COCO-80) object detection.
 * Model contract (see ../shared/models/yolox-nano/SOURCE.txt): input `images` float32 [1,3,416,416], BGR, 0–255,
 * letterboxed top-left with 114; output [1,3549,85] = strides 8/16/32 grids of [dx, dy, log w, log h, obj, 80
 * class scores]. In this export obj and class scores are already sigmoided (values observed in [0,1]).
 */
export interface Detection {
  label: string;
  classId: number;
  score: number;
  box: { x: number; y: number; width: number; height: number };
}

export interface DetectOptions {
  /** Minimum obj × class score (default 0.3). */
  scoreThreshold?: number;
  /** IoU above which same-class boxes are suppressed (default 0.45). */
  iouThreshold?: number;
  /** Keep at most this many detections, best first (default 100). */
  maxDetections?: number;
  /** Override the model file (tests); default MODELS_DIR/yolox-nano/yolox_nano.onnx. */
  modelPath?: string;
}

export const INPUT_SIZE = 416;
const STRIDES = [8, 16, 32];
const PAD = 114;
const NUM_CLASSES = 80;

export interface Letterbox {
  data: Float32Array; // [3, 416, 416] BGR planar
  ratio: number;
  width: number; // original
  height: number;
}

/** Resize keeping aspect so the image fits 416×416, pad bottom/right with 114, pack BGR planar float32. */
export async function letterbox(image: Buffer | string): Promise<Letterbox> {
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await sharp(image).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new DomainError('bad_request', `not a readable image: ${(err as Error).message}`);
  }
  const { width: w0, height: h0, channels } = decoded.info;
  const ratio = Math.min(INPUT_SIZE / w0, INPUT_SIZE / h0);
  const rw = Math.max(1, Math.floor(w0 * ratio));
  const rh = Math.max(1, Math.floor(h0 * ratio));
  const { data } = await sharp(decoded.data, { raw: { width: w0, height: h0, channels } })
    .resize(rw, rh, { fit: 'fill', kernel: 'linear' })
    .extend({ top: 0, left: 0, bottom: INPUT_SIZE - rh, right: INPUT_SIZE - rw, background: { r: PAD, g: PAD, b: PAD } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const plane = INPUT_SIZE * INPUT_SIZE;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    out[i] = data[i * 3 + 2]; // B
    out[plane + i] = data[i * 3 + 1]; // G
    out[2 * plane + i] = data[i * 3]; // R
  }
  return { data: out, ratio, width: w0, height: h0 };
}

function iou(a: Detection['box'], b: Detection['box']): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width);
  const y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy class-aware NMS: boxes only suppress boxes of their own class. Input need not be sorted. */
export function nmsClassAware(dets: Detection[], iouThreshold: number): Detection[] {
  const sorted = [...dets].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of sorted) {
    if (kept.every((k) => k.classId !== d.classId || iou(k.box, d.box) <= iouThreshold)) kept.push(d);
  }
  return kept;
}

/** Decodes the raw [N,85] output of one image into original-pixel detections (before NMS). */
export function decodeYolox(
  out: Float32Array,
  lb: Pick<Letterbox, 'ratio' | 'width' | 'height'>,
  scoreThreshold: number,
): Detection[] {
  const dets: Detection[] = [];
  let row = 0;
  for (const stride of STRIDES) {
    const g = INPUT_SIZE / stride;
    for (let gy = 0; gy < g; gy++) {
      for (let gx = 0; gx < g; gx++, row++) {
        const o = row * (5 + NUM_CLASSES);
        const obj = out[o + 4];
        if (obj < scoreThreshold) continue; // obj × cls ≤ obj
        const cx = (out[o] + gx) * stride;
        const cy = (out[o + 1] + gy) * stride;
        const bw = Math.exp(out[o + 2]) * stride;
        const bh = Math.exp(out[o + 3]) * stride;
        const x1 = Math.min(Math.max((cx - bw / 2) / lb.ratio, 0), lb.width);
        const y1 = Math.min(Math.max((cy - bh / 2) / lb.ratio, 0), lb.height);
        const x2 = Math.min(Math.max((cx + bw / 2) / lb.ratio, 0), lb.width);
        const y2 = Math.min(Math.max((cy + bh / 2) / lb.ratio, 0), lb.height);
        if (x2 <= x1 || y2 <= y1) continue;
        for (let c = 0; c < NUM_CLASSES; c++) {
          const score = obj * out[o + 5 + c];
          if (score < scoreThreshold) continue;
          dets.push({ label: COCO80[c], classId: c, score, box: { x: x1, y: y1, width: x2 - x1, height: y2 - y1 } });
        }
      }
    }
  }
  if (row * (5 + NUM_CLASSES) !== out.length) {
    throw new Error(`unexpected YOLOX output length ${out.length} (expected ${row * (5 + NUM_CLASSES)})`);
  }
  return dets;
}

function round(d: Detection): Detection {
  const r1 = (v: number) => Math.round(v * 10) / 10;
  return {
    ...d,
    score: Math.round(d.score * 1e4) / 1e4,
    box: { x: r1(d.box.x), y: r1(d.box.y), width: r1(d.box.width), height: r1(d.box.height) },
  };
}

async function session(modelPath: string) {
  if (!fileReady(modelPath)) {
    throw new DomainError('not_configured', `YOLOX-Nano model missing at ${modelPath}: run npm run models:fetch`);
  }
  const s = await getSession(modelPath);
  void presentModelSha256(modelPath).catch(() => undefined); // logs the sha256 in use, once per process
  return s;
}

async function infer(modelPath: string, lb: Letterbox, opts: DetectOptions): Promise<Detection[]> {
  const [s, ort] = await Promise.all([session(modelPath), ortModule()]);
  const input = new ort.Tensor('float32', lb.data, [1, 3, INPUT_SIZE, INPUT_SIZE]);
  const result = await s.run({ [s.inputNames[0]]: input });
  const out = result[s.outputNames[0]].data as Float32Array;
  const kept = nmsClassAware(decodeYolox(out, lb, opts.scoreThreshold ?? 0.3), opts.iouThreshold ?? 0.45);
  return kept.slice(0, opts.maxDetections ?? 100).map(round);
}

/** Detects COCO objects; boxes are in original pixel coordinates, clipped to the image, best score first. */
export async function detectObjects(image: Buffer | string, opts: DetectOptions = {}): Promise<Detection[]> {
  const modelPath = opts.modelPath ?? yoloxPath();
  const [lb] = await Promise.all([letterbox(image), session(modelPath)]);
  return infer(modelPath, lb, opts);
}

/**
 * Detects objects in several images. The graph's input is fixed to batch 1 ([1,3,416,416]), so images run one
 * after another on the shared session; decoding/letterboxing of the next image overlaps the current inference.
 */
export async function detectObjectsBatch(images: (Buffer | string)[], opts: DetectOptions = {}): Promise<Detection[][]> {
  const modelPath = opts.modelPath ?? yoloxPath();
  await session(modelPath);
  const out: Detection[][] = [];
  let next = images.length ? letterbox(images[0]) : undefined;
  for (let i = 0; i < images.length; i++) {
    const lb = await next!;
    next = i + 1 < images.length ? letterbox(images[i + 1]) : undefined;
    next?.catch(() => undefined); // surfaced when awaited
    out.push(await infer(modelPath, lb, opts));
  }
  return out;
}
