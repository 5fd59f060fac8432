/** Pure helpers for OCR line results: text normalisation, near-duplicate detection and merging across engines. */
export interface OcrBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OcrLine {
  text: string;
  /** 0–1 */
  confidence: number;
  box?: OcrBox;
  engine: 'ppocr' | 'tesseract';
}

/** Lower-case, NFC, without whitespace and punctuation: "ROUND LAB" and "roundlab" compare equal. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** 1 for equal normalised texts, down to 0 for nothing in common. */
export function textSimilarity(a: string, b: string): number {
  const x = normalizeText(a);
  const y = normalizeText(b);
  if (!x.length && !y.length) return 1;
  return 1 - levenshtein(x, y) / Math.max(x.length, y.length);
}

function iou(a: OcrBox, b: OcrBox): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

const HANGUL = /\p{Script=Hangul}/u;

function overlaps(a?: OcrBox, b?: OcrBox): boolean {
  if (!a || !b) return true; // no geometry: judge by text only
  const ix = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const iy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (ix <= 0 || iy <= 0) return false;
  return (ix * iy) / Math.min(a.width * a.height, b.width * b.height) >= 0.3;
}

/**
 * Two lines are the same line when they say nearly the same thing at the same place (similar text ≥ 0.8, or one
 * contains the other, boxes overlapping), or when two different engines put a line on the same spot (IoU ≥ 0.5).
 */
export function isNearDuplicate(a: OcrLine, b: OcrLine): boolean {
  if (!overlaps(a.box, b.box)) return false;
  if (a.engine !== b.engine && a.box && b.box && iou(a.box, b.box) >= 0.5) return true;
  const x = normalizeText(a.text);
  const y = normalizeText(b.text);
  if (!x || !y) return false;
  if (textSimilarity(x, y) >= 0.8) return true;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.length >= 4 && long.includes(short) && short.length / long.length >= 0.6;
}

/**
 * Which of two duplicate lines to keep: a reading with Hangul beats one without (PP-OCR cannot read Hangul and
 * guesses Chinese or Latin there); for the same normalised text the one keeping word spaces wins; else the higher
 * confidence (ties keep `a`).
 */
export function preferLine(a: OcrLine, b: OcrLine): OcrLine {
  const ha = HANGUL.test(a.text);
  const hb = HANGUL.test(b.text);
  if (ha !== hb) return ha ? a : b;
  if (normalizeText(a.text) === normalizeText(b.text)) {
    const sa = (a.text.match(/\s/g) ?? []).length;
    const sb = (b.text.match(/\s/g) ?? []).length;
    if (sa !== sb) return sa > sb ? a : b;
  }
  return b.confidence > a.confidence ? b : a;
}

/**
 * Merges lines from several engines, keeping one line of each near-duplicate group (see preferLine). Output is in reading order (top to bottom, then left to right); lines without a box go last.
 */
export function mergeLines(lines: OcrLine[]): OcrLine[] {
  const kept: OcrLine[] = [];
  for (const line of lines) {
    if (!normalizeText(line.text)) continue;
    const i = kept.findIndex((k) => isNearDuplicate(k, line));
    if (i < 0) kept.push(line);
    else kept[i] = preferLine(kept[i], line);
  }
  return kept.sort((a, b) => {
    if (!a.box || !b.box) return a.box ? -1 : b.box ? 1 : 0;
    const rowA = a.box.y + a.box.height / 2;
    const rowB = b.box.y + b.box.height / 2;
    if (Math.abs(rowA - rowB) > Math.min(a.box.height, b.box.height) / 2) return rowA - rowB;
    return a.box.x - b.box.x;
  });
}
