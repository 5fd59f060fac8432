/**
 * Sentiment (S) and endorsement (E) components from the window's speech. Pure; every number is explained by the
 * evidence strings returned with it.
 */
import { normalizeText } from '@/src/server/analysis/normalize-korean';
import {
  EMOTIONAL_EXPRESSIONS,
  EMPHASIS_PATTERN,
  ENDORSEMENT_LEXICON,
  ENDORSEMENT_WEIGHTS,
  EXCLAMATION_PATTERN,
  NEGATIVE_KEYWORDS,
  POSITIVE_KEYWORDS,
  type EndorsementCategory,
  type LexiconEntry,
} from './lexicons';

export type EndorsementType = '명시적 추천' | '자연스러운 언급' | '습관적 사용' | '비교 리뷰' | '튜토리얼 시연';

export type ComponentScore = { score: number; evidence: string[] };

/** Negation right after a term ("추천 안 해요", "좋지 않아요") or right before it ("안 좋아"). */
const NEGATED_AFTER = /^\s*(?:안|않|못|하지\s*않|지\s*않|별로)/;
const NEGATED_BEFORE = /(?:안|못)\s?$/;
/** A negative term that is itself negated ("후회 없어요", "불편하지 않아요") is not negative. */
const NEGATIVE_CANCELLED = /^\s*(?:안|없|않|하지\s*않|지\s*않)/;

type Hit = { term: string; weight: number; negated: boolean };

function hits(text: string, entries: readonly LexiconEntry[], cancel: RegExp, checkBefore: boolean): Hit[] {
  const out: Hit[] = [];
  for (const e of entries) {
    for (const m of text.matchAll(e.pattern)) {
      const i = m.index ?? 0;
      const after = text.slice(i + m[0].length, i + m[0].length + 6);
      const before = text.slice(Math.max(0, i - 2), i);
      const negated = cancel.test(after) || (checkBefore && NEGATED_BEFORE.test(before));
      out.push({ term: e.term, weight: e.weight, negated });
    }
  }
  return out;
}

/**
 * S = clamp(0.35·positive + 0.25·exclamation + 0.20·emphasis + 0.20·emotional − 0.15·negative, 0, 1)
 * positive = min(1, Σweight / words × 2) (weight 2 for 최고/완전/대박/…); negative = min(1, count / words × 3)
 * (negated positives count as negatives); exclamation = min(1, marks per 50 characters);
 * emphasis = min(1, repeats per sentence); emotional = min(1, count / words × 5).
 */
export function scoreSentiment(speech: string): ComponentScore {
  const text = normalizeText(speech);
  if (!text) return { score: 0, evidence: ['발화 없음'] };
  const words = Math.max(1, text.split(' ').length);
  const sentences = Math.max(1, text.split(/[.!?…]+/).filter((s) => s.trim()).length);

  const pos = hits(text, POSITIVE_KEYWORDS, NEGATED_AFTER, true);
  const neg = hits(text, NEGATIVE_KEYWORDS, NEGATIVE_CANCELLED, false).filter((h) => !h.negated);
  const positiveHits = pos.filter((h) => !h.negated);
  const negatedPositives = pos.filter((h) => h.negated);
  const emotional = hits(text, EMOTIONAL_EXPRESSIONS, NEGATED_AFTER, false).filter((h) => !h.negated);
  const exclamations = [...text.matchAll(EXCLAMATION_PATTERN)].map((m) => m[0]);
  const emphasis = [...text.matchAll(EMPHASIS_PATTERN)].map((m) => m[0]);

  const positive = Math.min(1, (positiveHits.reduce((s, h) => s + h.weight, 0) / words) * 2);
  const negative = Math.min(1, ((neg.length + negatedPositives.length) / words) * 3);
  const exclamation = Math.min(1, exclamations.length / Math.max(1, text.length / 50));
  const emph = Math.min(1, emphasis.length / sentences);
  const emo = Math.min(1, (emotional.length / words) * 5);
  const score = clamp01(0.35 * positive + 0.25 * exclamation + 0.2 * emph + 0.2 * emo - 0.15 * negative);

  const evidence: string[] = [];
  if (positiveHits.length) evidence.push(`긍정: ${uniq(positiveHits.map((h) => h.term)).join(', ')}`);
  if (neg.length || negatedPositives.length)
    evidence.push(`부정: ${uniq([...neg.map((h) => h.term), ...negatedPositives.map((h) => `${h.term}(부정문)`)]).join(', ')}`);
  if (exclamations.length) evidence.push(`감탄부호: ${uniq(exclamations).join(' ')}`);
  if (emphasis.length) evidence.push(`강조 반복: ${uniq(emphasis).join(', ')}`);
  if (emotional.length) evidence.push(`감정 표현: ${uniq(emotional.map((h) => h.term)).join(', ')}`);
  return { score, evidence };
}

/** Demonstration level by endorsement type; unknown type → demonstration is text-only (documented placeholder). */
export const DEMONSTRATION_LEVEL: Record<EndorsementType, number> = {
  '튜토리얼 시연': 1,
  '비교 리뷰': 0.7,
  '명시적 추천': 0.5,
  '습관적 사용': 0.4,
  '자연스러운 언급': 0.2,
};

/** Distinct lexicon terms needed for a category to reach 1. */
export const ENDORSEMENT_SATURATION = 3;

/**
 * E = 0.30·usage + 0.25·demonstration + 0.20·effect + 0.15·experience + 0.10·possession, each category
 * min(1, distinct terms / ENDORSEMENT_SATURATION); demonstration = 0.4·text + 0.6·level when the endorsement type
 * is known, else text alone. Matching ignores spacing ("이렇게 써" = "이렇게써").
 */
export function scoreEndorsement(speech: string, endorsementType?: EndorsementType | null): ComponentScore {
  const compact = normalizeText(speech).replace(/\s+/g, '').toLowerCase();
  const evidence: string[] = [];
  const part = {} as Record<EndorsementCategory, number>;
  for (const category of Object.keys(ENDORSEMENT_LEXICON) as EndorsementCategory[]) {
    const found = ENDORSEMENT_LEXICON[category].filter((term) => compact.includes(term.replace(/\s+/g, '').toLowerCase()));
    part[category] = Math.min(1, found.length / ENDORSEMENT_SATURATION);
    if (found.length) evidence.push(`${CATEGORY_KO[category]}: ${found.join(', ')}`);
  }
  if (endorsementType) {
    const level = DEMONSTRATION_LEVEL[endorsementType];
    part.demonstration = 0.4 * part.demonstration + 0.6 * level;
    evidence.push(`추천 유형: ${endorsementType} (시연 수준 ${level})`);
  }
  const score = clamp01(
    (Object.keys(ENDORSEMENT_WEIGHTS) as EndorsementCategory[]).reduce((s, c) => s + ENDORSEMENT_WEIGHTS[c] * part[c], 0),
  );
  return { score, evidence };
}

const CATEGORY_KO: Record<EndorsementCategory, string> = {
  usage: '사용',
  demonstration: '시연',
  effect: '효과',
  experience: '경험',
  possession: '보유·반복',
};

const uniq = <T,>(xs: T[]) => [...new Set(xs)];
const clamp01 = (n: number) => Math.min(1, Math.max(0, n));
