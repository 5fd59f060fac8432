import type { OcrLine } from '@/src/server/db/schema';

export type Span = { start: number; end: number };

/** How far past a window's edges the product is followed on screen, and how finely its appearance is timed. */
export const EDGE_PROBE_MAX_SEC = 8;
export const EDGE_PRECISION_SEC = 0.25;

/** Words read on screen: runs of letters/digits, Hangul from 2 characters (독도, 토너), other scripts from 3. */
export function screenWords(lines: Pick<OcrLine, 'text'>[]): Set<string> {
  const out = new Set<string>();
  for (const l of lines) {
    for (const w of l.text.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (w.length >= 3 || (w.length === 2 && /\p{Script=Hangul}/u.test(w))) out.add(w);
    }
  }
  return out;
}

/**
 * A frame shows the product when it reads at least two of the product's words (one when only one is known): two
 * engines and noisy frames spell things differently, and one matching word alone is too easily a coincidence.
 */
export function showsProduct(lines: Pick<OcrLine, 'text'>[], productWords: Set<string>): boolean {
  if (productWords.size === 0) return false;
  const need = Math.min(2, productWords.size);
  let n = 0;
  for (const w of screenWords(lines)) if (productWords.has(w) && ++n >= need) return true;
  return false;
}

/**
 * When the product is on screen around one window. The speech window only says when it was talked about; the
 * viewer needs the clip to show it, so the clip is the union of both (see clipSpan).
 * - `samples`: the window's sample times in order; `known`: the answer for samples already read (the kept frames);
 * - `probe(t)`: reads the frame at t (inside or outside the window) and says whether the product shows there, false
 *   past the end of the video.
 * From the first and last frames that show the product it looks at the window's edge sample: still visible there →
 * it follows the product outside the window one step at a time (at most EDGE_PROBE_MAX_SEC); otherwise the change
 * lies inside. Either way the change is then bisected to EDGE_PRECISION_SEC, so a window costs a handful of probes,
 * and the edge is the first probed time it is gone, so the span holds the whole appearance.
 * Assumes one continuous appearance per window. Null when no read frame shows the product.
 */
export async function visibleSpan(o: {
  samples: number[];
  known: Map<number, boolean>;
  probe: (t: number) => Promise<boolean>;
  step?: number;
  maxExtend?: number;
  precision?: number;
}): Promise<Span | null> {
  const step = o.step ?? 1;
  const maxExtend = o.maxExtend ?? EDGE_PROBE_MAX_SEC;
  const precision = o.precision ?? EDGE_PRECISION_SEC;
  const memo = new Map<number, boolean>();
  for (const [t, v] of o.known) memo.set(round(t), v);
  const shows = async (t: number) => {
    const key = round(t);
    if (!memo.has(key)) memo.set(key, await o.probe(key));
    return memo.get(key)!;
  };
  const seen = o.samples.filter((t) => memo.get(round(t)));
  if (!seen.length || !o.samples.length) return null;

  const edge = async (from: number, dir: -1 | 1): Promise<number> => {
    const boundary = dir < 0 ? o.samples[0] : o.samples[o.samples.length - 1];
    let inside = from; // last time the product was seen
    let outside: number | null = null; // first time it was not
    if (boundary !== from) {
      if (await shows(boundary)) inside = boundary;
      else outside = boundary;
    }
    for (let k = 1; outside === null && k * step <= maxExtend; k++) {
      const t = boundary + dir * k * step;
      if (t < 0) return 0; // on screen from the first frame
      if (await shows(t)) inside = t;
      else outside = t;
    }
    if (outside === null) return Math.max(0, inside + (dir * step) / 2); // still on screen where we stopped looking
    let gone: number = outside;
    while (Math.abs(gone - inside) > precision) {
      const mid: number = (inside + gone) / 2;
      if (await shows(mid)) inside = mid;
      else gone = mid;
    }
    // the first time it is gone, not the midpoint: the clip then holds the whole appearance (within `precision`)
    return Math.max(0, round(gone));
  };

  const start = await edge(seen[0], -1);
  const end = await edge(seen[seen.length - 1], 1);
  return { start, end };
}

/** The clip of a window: its speech span, widened to cover the product's time on screen when that was measured. */
export function clipSpan(w: { start: number; end: number; visibleStart?: number | null; visibleEnd?: number | null }): Span {
  return {
    start: w.visibleStart == null ? w.start : Math.min(w.start, w.visibleStart),
    end: w.visibleEnd == null ? w.end : Math.max(w.end, w.visibleEnd),
  };
}

const round = (t: number) => Math.round(t * 1000) / 1000;
