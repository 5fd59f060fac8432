/**
 * Rule-based pass 1 (PRODUCT.md step 6): finds windows of Korean speech where a product is genuinely recommended.
 * Pure: the caller passes options; no config is read here.
 *
 * Algorithm
 * 1. Each segment is normalized (NFC, no whitespace) and matched against SIGNAL_RULES. Segments that are a video
 *    intro (greeting, "오늘은 … 루틴을 보여드릴게요") or carry a strong negative ("추천 안 해요", "별로였어요") keep no
 *    signals. "진짜" is never a signal on its own.
 * 2. Runs of signal segments are chained while the gap between them is at most `mergeGapSec`; a topic boundary
 *    ("두 번째는", "다음은") or exceeding `maxDurationSec` starts a new chain. Usage-only segments ("발라요") join a chain
 *    as bridges or as a lead-in right before it, never as a chain of their own.
 * 3. A chain becomes a window when its strength (sum of signal weights, each rule counted once) reaches
 *    `minStrength`. It is padded (`padBeforeSec`, `padAfterSec`), clamped to the transcript, and widened to
 *    `minDurationSec` when shorter.
 */
import { compactText } from './normalize-korean';
import {
  FAMILY_LABELS,
  NON_PRODUCT_TOPIC,
  PRODUCT_CUE,
  SIGNAL_RULES,
  STRONG_NEGATIVES,
  TOPIC_BOUNDARY,
  VIDEO_INTRO,
  type SignalFamily,
  type SignalRule,
} from './recommendation-signals';
import type { RecommendationWindow, TranscriptSegment } from './types';

export type RuleWindowOptions = {
  padBeforeSec: number;
  padAfterSec: number;
  minDurationSec: number;
  maxDurationSec: number;
  /** Largest silence/no-signal gap between two signal segments that still belong to one window. */
  mergeGapSec: number;
  /** Largest gap between a usage/boundary lead-in segment and the first signal segment. */
  leadInGapSec: number;
  /** Minimum summed signal weight for a window to be reported. */
  minStrength: number;
  /** How far back (s) a non-product topic (드라마, 카페 …) still disables praise signals. */
  topicCarrySec: number;
};

export const DEFAULT_RULE_WINDOW_OPTIONS: RuleWindowOptions = {
  padBeforeSec: 2,
  padAfterSec: 3,
  minDurationSec: 5,
  maxDurationSec: 60,
  mergeGapSec: 6,
  leadInGapSec: 2,
  minStrength: 0.5,
  topicCarrySec: 3,
};

export type SegmentSignals = {
  index: number;
  segment: TranscriptSegment;
  matches: SignalRule[];
  /** Why the segment's signals were dropped, if they were. */
  suppressedBy: 'video_intro' | 'negation' | null;
  boundary: boolean;
};

export function analyzeSegment(
  segment: TranscriptSegment,
  index: number,
  previous?: TranscriptSegment,
  topicCarrySec = DEFAULT_RULE_WINDOW_OPTIONS.topicCarrySec,
): SegmentSignals {
  const text = compactText(segment.text);
  const boundary = TOPIC_BOUNDARY.test(text);
  let suppressedBy: SegmentSignals['suppressedBy'] = null;
  if (VIDEO_INTRO.some((re) => re.test(text))) suppressedBy = 'video_intro';
  else if (STRONG_NEGATIVES.some((re) => re.test(text))) suppressedBy = 'negation';
  let matches = suppressedBy ? [] : SIGNAL_RULES.filter((rule) => rule.pattern.test(text));
  const prevText = previous && segment.start - previous.end <= topicCarrySec ? compactText(previous.text) : '';
  const offTopic = NON_PRODUCT_TOPIC.test(text) || NON_PRODUCT_TOPIC.test(prevText);
  if (offTopic && !PRODUCT_CUE.test(text)) matches = matches.filter((m) => m.family !== 'praise');
  return { index, segment, matches, suppressedBy, boundary };
}

const isCore = (s: SegmentSignals) => s.matches.some((m) => m.family !== 'usage');
const isUsage = (s: SegmentSignals) => !isCore(s) && s.matches.length > 0;

export function findRecommendationWindowsByRules(
  segments: readonly TranscriptSegment[],
  opts: Partial<RuleWindowOptions> = {},
): RecommendationWindow[] {
  const o: RuleWindowOptions = { ...DEFAULT_RULE_WINDOW_OPTIONS, ...opts };
  const sorted = segments
    .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.end >= s.start)
    .slice()
    .sort((a, b) => a.start - b.start);
  if (sorted.length === 0) return [];
  const bounds = { start: Math.min(...sorted.map((s) => s.start)), end: Math.max(...sorted.map((s) => s.end)) };
  const analyzed = sorted.map((s, i) => analyzeSegment(s, i, sorted[i - 1], o.topicCarrySec));

  const chains: SegmentSignals[][] = [];
  let chain: SegmentSignals[] = [];
  let pendingUsage: SegmentSignals[] = []; // usage segments after the last core one, kept only if a core one follows
  const close = () => {
    if (chain.length > 0) chains.push(chain);
    chain = [];
    pendingUsage = [];
  };

  for (let i = 0; i < analyzed.length; i++) {
    const cur = analyzed[i];
    const core = isCore(cur);
    if ((cur.boundary || cur.suppressedBy === 'negation') && chain.length > 0) close();
    if (!core && !isUsage(cur)) {
      // no signal: a gap larger than mergeGapSec is checked when the next signal segment arrives
      continue;
    }
    const last = pendingUsage.at(-1) ?? chain.at(-1);
    if (last && cur.segment.start - last.segment.end > o.mergeGapSec) close();
    if (chain.length > 0 && cur.segment.end - chain[0].segment.start > o.maxDurationSec - o.padBeforeSec - o.padAfterSec) close();

    if (core) {
      if (chain.length === 0) chain.push(...leadIn(analyzed, i, o));
      chain.push(...pendingUsage, cur);
      pendingUsage = [];
    } else if (chain.length > 0) {
      pendingUsage.push(cur);
    }
  }
  close();

  const windows: RecommendationWindow[] = [];
  for (const c of chains) {
    // padding never reaches back into the previous window: windows stay disjoint
    const floor = Math.max(bounds.start, windows.at(-1)?.end ?? bounds.start);
    const w = toWindow(c, { start: floor, end: bounds.end }, o);
    if (w) windows.push(w);
  }
  return windows;
}

/** Usage or boundary segments directly before the first core segment of a chain ("베이스는 … 쓰는데요,"). */
function leadIn(analyzed: SegmentSignals[], i: number, o: RuleWindowOptions): SegmentSignals[] {
  const prev = analyzed[i - 1];
  if (!prev || prev.suppressedBy) return [];
  if (analyzed[i].segment.start - prev.segment.end > o.leadInGapSec) return [];
  if (analyzed[i].boundary) return [];
  return isUsage(prev) || prev.boundary ? [prev] : [];
}

function toWindow(
  chain: SegmentSignals[],
  bounds: { start: number; end: number },
  o: RuleWindowOptions,
): RecommendationWindow | null {
  const rules = uniqueRules(chain.flatMap((s) => s.matches));
  const core = rules.filter((r) => r.family !== 'usage');
  if (core.length === 0) return null;
  const families = new Set<SignalFamily>(core.map((r) => r.family));
  const strength = rules.reduce((sum, r) => sum + r.weight, 0);
  if (strength < o.minStrength) return null;

  let start = Math.max(bounds.start, chain[0].segment.start - o.padBeforeSec);
  let end = Math.min(bounds.end, chain.at(-1)!.segment.end + o.padAfterSec);
  if (end - start < o.minDurationSec) {
    const missing = o.minDurationSec - (end - start);
    start = Math.max(bounds.start, start - missing / 2);
    end = Math.min(bounds.end, start + o.minDurationSec);
  }
  if (end - start > o.maxDurationSec) end = start + o.maxDurationSec;

  const diversity = 0.1 * (families.size - 1);
  const confidence = round2(Math.min(0.95, 1 - Math.exp(-(strength + diversity))));
  return {
    start: round2(start),
    end: round2(end),
    reason: describe(core),
    confidence,
    signals: rules.map((r) => `${r.family}:${r.label}`),
    method: 'rule',
  };
}

function uniqueRules(rules: SignalRule[]): SignalRule[] {
  return [...new Set(rules)];
}

function describe(core: SignalRule[]): string {
  const byFamily = new Map<SignalFamily, string[]>();
  for (const r of core) byFamily.set(r.family, [...(byFamily.get(r.family) ?? []), r.label]);
  const parts = [...byFamily.entries()].map(([family, labels]) => `${FAMILY_LABELS[family]}(${labels.slice(0, 2).join(', ')})`);
  return `추천 신호: ${parts.join(' · ')}`;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
