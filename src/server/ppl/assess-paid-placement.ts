/**
 * Probability that a video/segment is a paid placement (PRODUCT.md step 9). Pure.
 *
 * 1. Every pattern is matched once per source (title, description, speech). A match contributes
 *    `weight × categoryWeight / maxCategoryWeight(group)`: the strongest category of a group keeps the pattern weight,
 *    weaker categories are scaled down.
 * 2. Explicit and implicit contributions are combined separately by noisy-OR; implicit evidence alone is capped at
 *    IMPLICIT_CAP so sale talk ("할인", "이벤트") can reach `medium` but never `high`.
 *    rule = 1 − (1 − explicit)(1 − IMPLICIT_CAP·implicit)
 * 3. Exclusion phrases multiply the result by Π(1 − weight): "내돈내산" (0.7) leaves 30 %.
 * 4. The LLM judgement, when present, adds evidence (PPL: noisy-OR with llmWeight·confidence) or removes it
 *    (not PPL: × (1 − llmWeight·confidence)); it never lowers the result below the explicit-disclosure part, because a
 *    written disclosure is a fact.
 * Level: ≥ high → high, ≥ medium → medium, ≥ low → low, else none. `isPpl` is probability ≥ medium.
 */
import {
  CATEGORY_GROUP,
  CATEGORY_WEIGHTS,
  DEFAULT_PPL_THRESHOLDS,
  EXCLUSION_PHRASES,
  PPL_PATTERNS,
  type PplCategory,
  type PplGroup,
  type PplThresholds,
} from './patterns';

export type PplSource = 'title' | 'description' | 'speech' | 'llm';

export type PplInput = {
  title: string;
  description: string;
  speech: string;
  llm?: { isPpl: boolean; confidence: number; reason?: string };
};

export type PplReason = { pattern: string; source: PplSource; weight: number };

export type PplLevel = 'high' | 'medium' | 'low' | 'none';

export type PplAssessment = { probability: number; isPpl: boolean; level: PplLevel; reasons: PplReason[] };

export const IMPLICIT_CAP = 0.6;

const MAX_GROUP_WEIGHT: Record<PplGroup, number> = (() => {
  const max: Record<PplGroup, number> = { explicit: 0, implicit: 0 };
  for (const [category, weight] of Object.entries(CATEGORY_WEIGHTS) as [PplCategory, number][]) {
    const group = CATEGORY_GROUP[category];
    max[group] = Math.max(max[group], weight);
  }
  return max;
})();

export function assessPaidPlacement(input: PplInput, thresholds: Partial<PplThresholds> = {}): PplAssessment {
  const t: PplThresholds = { ...DEFAULT_PPL_THRESHOLDS, ...thresholds };
  const sources: [PplSource, string][] = [
    ['title', input.title ?? ''],
    ['description', input.description ?? ''],
    ['speech', input.speech ?? ''],
  ];
  const reasons: PplReason[] = [];
  const contributions: Record<PplGroup, number[]> = { explicit: [], implicit: [] };
  const exclusions: number[] = [];

  for (const [source, raw] of sources) {
    const text = raw.normalize('NFC');
    if (!text.trim()) continue;
    for (const p of PPL_PATTERNS) {
      if (!p.pattern.test(text)) continue;
      const group = CATEGORY_GROUP[p.category];
      const weight = round3((p.weight * CATEGORY_WEIGHTS[p.category]) / MAX_GROUP_WEIGHT[group]);
      contributions[group].push(weight);
      reasons.push({ pattern: p.phrase, source, weight });
    }
    for (const e of EXCLUSION_PHRASES) {
      if (!e.pattern.test(text)) continue;
      exclusions.push(e.weight);
      reasons.push({ pattern: e.phrase, source, weight: -e.weight });
    }
  }

  const exclusionFactor = exclusions.reduce((f, w) => f * (1 - w), 1);
  const explicit = noisyOr(contributions.explicit) * exclusionFactor;
  const implicit = noisyOr(contributions.implicit);
  let probability = (1 - (1 - noisyOr(contributions.explicit)) * (1 - IMPLICIT_CAP * implicit)) * exclusionFactor;

  if (input.llm) {
    const c = clamp01(input.llm.confidence);
    const delta = t.llmWeight * c;
    if (input.llm.isPpl) probability = 1 - (1 - probability) * (1 - delta);
    else probability = Math.max(explicit, probability * (1 - delta));
    reasons.push({ pattern: input.llm.reason?.trim() || 'LLM 판단', source: 'llm', weight: round3(input.llm.isPpl ? delta : -delta) });
  }

  probability = round3(clamp01(probability));
  return { probability, isPpl: probability >= t.medium, level: levelOf(probability, t), reasons };
}

export function levelOf(probability: number, t: Pick<PplThresholds, 'high' | 'medium' | 'low'>): PplLevel {
  if (probability >= t.high) return 'high';
  if (probability >= t.medium) return 'medium';
  if (probability >= t.low) return 'low';
  return 'none';
}

const noisyOr = (ws: number[]) => 1 - ws.reduce((acc, w) => acc * (1 - clamp01(w)), 1);
const clamp01 = (n: number) => (Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0);
const round3 = (n: number) => Math.round(n * 1000) / 1000;
