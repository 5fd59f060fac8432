/**
 * Evaluation of the no-key analyzer on a folder of labelled transcripts: the whole chain a video without keys goes
 * through (pass 1 windows → pass 2 naming and category from the window's speech and on-screen text → PPL → score →
 * routing with no Coupang search), measured against the labels.
 *
 * - Windows: precision/recall/F1 (match rule in src/server/analysis/evaluate-windows.ts), with a 95 % interval from
 *   a bootstrap over files (videos are the unit that varies).
 * - Naming: of the labelled windows that were found and whose label names a product, the share named correctly
 *   (productNameMatches). Category: of the found windows with a category label, the share with the right top level.
 * - PPL: per video. Routed to review: of all labelled windows, the share found and routed anywhere but 낮은 점수
 *   (검토 필요, or its PPL tab); the same share is printed for the predicted windows that match no label.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findBrand } from '@/src/server/analysis/brand-gazetteer';
import { matchWindows, precisionRecall, sumCounts } from '@/src/server/analysis/evaluate-windows';
import { aliasKey } from '@/src/server/analysis/brand-gazetteer';
import { modelTokens } from '@/src/server/analysis/product-mentions';
import { findRecommendationWindowsByRules } from '@/src/server/analysis/recommendation-episodes';
import { synthesizeCandidateByRules, UNKNOWN_PRODUCT } from '@/src/server/analysis/rule-synthesis';
import { topCategory } from '@/src/server/analysis/taxonomy';
import type { OcrLine, TranscriptSegment } from '@/src/server/analysis/types';
import { assessPaidPlacement } from '@/src/server/ppl/assess-paid-placement';
import { DEFAULT_PPL_THRESHOLDS } from '@/src/server/ppl/patterns';
import { routeCandidate } from '@/src/server/scoring/route-candidate';
import { scoreCandidate } from '@/src/server/scoring/score-candidate';

export type LabelledWindow = { start: number; end: number; product?: string | null; brand?: string | null; category?: string };
export type LabelledTranscript = {
  id: string;
  title?: string;
  description?: string;
  celebrityName?: string;
  segments: TranscriptSegment[];
  onScreen?: { start: number; end: number; text: string }[];
  labels: { windows: LabelledWindow[]; ppl?: boolean };
};

export const REVIEW_MIN_SCORE = 40;

export type WindowOutcome = {
  start: number;
  end: number;
  name: string;
  category: string | null;
  score: number;
  route: string;
  /** Index of the labelled window it matched, or -1. */
  label: number;
};

export type FileResult = {
  id: string;
  tp: number;
  fp: number;
  fn: number;
  named: number;
  nameable: number;
  categoryRight: number;
  categorised: number;
  routed: number;
  labelled: number;
  falseRouted: number;
  pplLabel: boolean | null;
  pplPredicted: boolean;
  windows: WindowOutcome[];
  missedNames: string[];
};

export function loadSet(dir: string): LabelledTranscript[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as LabelledTranscript);
}

/** On-screen text as the OCR stage would store it: a line per second of screen time inside the window. */
function screenLines(fx: LabelledTranscript, start: number, end: number): OcrLine[] {
  const out: OcrLine[] = [];
  for (const s of fx.onScreen ?? []) {
    const from = Math.max(start, s.start);
    const to = Math.min(end, s.end);
    if (to < from) continue;
    out.push({ text: s.text, confidence: 0.9, t: Math.round(from * 10) / 10, engine: 'ocr' });
  }
  return out;
}

const words = (s: string) =>
  s
    .normalize('NFC')
    .toLowerCase()
    .split(/[^0-9a-z가-힣]+/)
    .filter((w) => w.length >= 2);

/**
 * A predicted name is right when it names the labelled brand (when the label has one the gazetteer knows) and shares
 * a model token or a product word with the label beyond the brand (one word inside the other counts); with no brand known, it must share a model token
 * or half the label's words.
 */
export function productNameMatches(predicted: string, label: LabelledWindow): boolean {
  if (!label.product || predicted === UNKNOWN_PRODUCT) return false;
  const want = findBrand(`${label.brand ?? ''} ${label.product}`);
  const got = findBrand(predicted);
  if (want && got?.id !== want.id) return false;
  const models = new Set(modelTokens(label.product).map((t) => aliasKey(t)));
  if (modelTokens(predicted).some((t) => models.has(aliasKey(t)))) return true;
  const brandKeys = new Set(want ? [...want.ko, ...want.en, ...want.spoken].map(aliasKey) : []);
  const labelWords = words(label.product).filter((w) => !brandKeys.has(aliasKey(w)));
  // a word of one inside a word of the other counts: "압력밥솥" / "전기압력밥솥", "노트" / "MD노트"
  const predictedWords = words(predicted).map(aliasKey).filter((w) => !brandKeys.has(w));
  const shared = labelWords.filter((w) => predictedWords.some((p) => p.includes(aliasKey(w)) || aliasKey(w).includes(p)));
  if (want) return shared.length >= 1;
  return labelWords.length > 0 && shared.length / labelWords.length >= 0.5;
}

export function evaluateFile(fx: LabelledTranscript): FileResult {
  const predicted = findRecommendationWindowsByRules(fx.segments);
  const labels = fx.labels.windows;
  const m = matchWindows(predicted, labels);
  const ppl = assessPaidPlacement({ title: fx.title ?? '', description: fx.description ?? '', speech: fx.segments.map((s) => s.text).join(' ') });
  const windows: WindowOutcome[] = predicted.map((w, i) => {
    const segs = fx.segments.filter((s) => s.end > w.start && s.start < w.end);
    const fields = synthesizeCandidateByRules({
      segments: segs,
      ocrLines: screenLines(fx, w.start, w.end),
      detections: [],
      video: { title: fx.title ?? '', description: fx.description ?? '', celebrityName: fx.celebrityName ?? '' },
    });
    const score = scoreCandidate({ speech: segs.map((s) => s.text).join(' '), endorsementType: fields.endorsement_type });
    const route = routeCandidate({ pplProbability: ppl.probability, pplHigh: DEFAULT_PPL_THRESHOLDS.high, hasCoupangMatch: null, total: score.total, scoreThreshold: REVIEW_MIN_SCORE });
    const match = m.matches.find((x) => x.predicted === i);
    return { start: w.start, end: w.end, name: fields.product_name_ai, category: fields.category_path, score: score.total, route, label: match ? match.labelled : -1 };
  });
  const found = windows.filter((w) => w.label >= 0);
  const r: FileResult = {
    id: fx.id,
    tp: m.truePositives,
    fp: m.falsePositives,
    fn: m.falseNegatives,
    named: 0,
    nameable: 0,
    categoryRight: 0,
    categorised: 0,
    routed: found.filter((w) => w.route !== 'low_score_filtered').length,
    labelled: labels.length,
    falseRouted: windows.filter((w) => w.label < 0 && w.route !== 'low_score_filtered').length,
    pplLabel: typeof fx.labels.ppl === 'boolean' ? fx.labels.ppl : null,
    pplPredicted: ppl.isPpl,
    windows,
    missedNames: [],
  };
  for (const w of found) {
    const l = labels[w.label];
    if (l.product) {
      r.nameable++;
      if (productNameMatches(w.name, l)) r.named++;
      else r.missedNames.push(`${l.product} → ${w.name}`);
    }
    if (l.category) {
      r.categorised++;
      if (topCategory(w.category) === l.category) r.categoryRight++;
    }
  }
  return r;
}

export type SetSummary = {
  files: number;
  tp: number;
  fp: number;
  fn: number;
  precision: Interval;
  recall: Interval;
  f1: Interval;
  naming: Interval & { n: number; k: number };
  category: Interval & { n: number; k: number };
  ppl: Interval & { n: number; k: number };
  routed: Interval & { n: number; k: number };
  falseRouted: { n: number; k: number };
};
export type Interval = { value: number; low: number; high: number };

/** Deterministic PRNG (mulberry32) so the printed intervals do not change from run to run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bootstrap(results: FileResult[], stat: (rs: FileResult[]) => number, iterations = 2000): Interval {
  const value = stat(results);
  if (results.length === 0) return { value, low: value, high: value };
  const rand = rng(20261204);
  const xs: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const sample = Array.from({ length: results.length }, () => results[Math.floor(rand() * results.length)]);
    xs.push(stat(sample));
  }
  xs.sort((a, b) => a - b);
  return { value, low: xs[Math.floor(0.025 * iterations)], high: xs[Math.floor(0.975 * iterations) - 1] };
}

const ratio = (k: number, n: number) => (n === 0 ? 1 : k / n);
const sum = (rs: FileResult[], f: (r: FileResult) => number) => rs.reduce((s, r) => s + f(r), 0);
const counts = (rs: FileResult[]) => sumCounts(rs.map((r) => ({ matches: [], truePositives: r.tp, falsePositives: r.fp, falseNegatives: r.fn })));

export function summarize(results: FileResult[]): SetSummary {
  const pr = (rs: FileResult[]) => precisionRecall(counts(rs));
  const share = (k: (r: FileResult) => number, n: (r: FileResult) => number) => ({
    ...bootstrap(results, (rs) => ratio(sum(rs, k), sum(rs, n))),
    k: sum(results, k),
    n: sum(results, n),
  });
  const c = counts(results);
  return {
    files: results.length,
    tp: c.truePositives,
    fp: c.falsePositives,
    fn: c.falseNegatives,
    precision: bootstrap(results, (rs) => pr(rs).precision),
    recall: bootstrap(results, (rs) => pr(rs).recall),
    f1: bootstrap(results, (rs) => pr(rs).f1),
    naming: share((r) => r.named, (r) => r.nameable),
    category: share((r) => r.categoryRight, (r) => r.categorised),
    ppl: share((r) => (r.pplLabel === null ? 0 : Number(r.pplLabel === r.pplPredicted)), (r) => (r.pplLabel === null ? 0 : 1)),
    routed: share((r) => r.routed, (r) => r.labelled),
    falseRouted: { k: sum(results, (r) => r.falseRouted), n: sum(results, (r) => r.fp) },
  };
}
