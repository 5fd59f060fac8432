import sharp from 'sharp';

/**
 * Frame quality measures used to pick which frames of a window are worth OCR and detection.
 * - sharpness: variance of the Laplacian of a 480-px-wide greyscale copy (blurry or flat frames score near 0);
 * - dHash: 64-bit difference hash of a 9×8 greyscale thumbnail; a small Hamming distance means a near-duplicate.
 */
export async function laplacianVariance(image: Buffer): Promise<number> {
  const { data } = await sharp(image)
    .greyscale()
    .resize({ width: 480, withoutEnlargement: true })
    .convolve({ width: 3, height: 3, kernel: [0, 1, 0, 1, -4, 1, 0, 1, 0], offset: 128 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < data.length; i++) {
    sum += data[i];
    sq += data[i] * data[i];
  }
  const mean = sum / data.length;
  return Math.round((sq / data.length - mean * mean) * 100) / 100;
}

export async function differenceHash(image: Buffer): Promise<bigint> {
  const data = await sharp(image).greyscale().resize(9, 8, { fit: 'fill' }).raw().toBuffer();
  let hash = 0n;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) hash = (hash << 1n) | (data[y * 9 + x] > data[y * 9 + x + 1] ? 1n : 0n);
  }
  return hash;
}

export function hammingDistance(a: bigint, b: bigint): number {
  let x = a ^ b;
  let n = 0;
  while (x) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}

export type ScoredFrame = { t: number; image: Buffer; sharpness: number; hash: bigint };

export type FrameSelection = { minSharpness: number; relativeSharpness: number; duplicateDistance: number; max: number };
export const DEFAULT_FRAME_SELECTION: FrameSelection = { minSharpness: 20, relativeSharpness: 0.25, duplicateDistance: 5, max: 8 };

/**
 * Drops blurry frames (below an absolute floor or a fraction of the window's sharpest frame) and near-duplicates
 * (the sharper of two similar frames is kept), then keeps the `max` sharpest in time order. When every frame is
 * blurry the single sharpest is kept, so a window always has a frame to show.
 */
export function selectFrames(frames: ScoredFrame[], opts: Partial<FrameSelection> = {}): ScoredFrame[] {
  const o = { ...DEFAULT_FRAME_SELECTION, ...opts };
  if (frames.length === 0) return [];
  const best = Math.max(...frames.map((f) => f.sharpness));
  const sharp = frames.filter((f) => f.sharpness >= o.minSharpness && f.sharpness >= best * o.relativeSharpness);
  const kept: ScoredFrame[] = [];
  for (const f of [...sharp].sort((a, b) => b.sharpness - a.sharpness)) {
    if (kept.some((k) => hammingDistance(k.hash, f.hash) <= o.duplicateDistance)) continue;
    kept.push(f);
    if (kept.length >= o.max) break;
  }
  if (kept.length === 0) kept.push([...frames].sort((a, b) => b.sharpness - a.sharpness)[0]);
  return kept.sort((a, b) => a.t - b.t);
}
