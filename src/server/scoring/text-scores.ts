/**
 * Sentiment (S) and endorsement (E) components from the window's speech. Pure; every number is explained by the
 * evidence strings returned with it.
 */
import { normalizeText } from '@/src/server/analysis/normalize-korean';
import { textCues, type CueFamily } from '@/src/server/analysis/recommendation-cues';
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

/** Clause families that speak for the product, and how much one such clause adds to S. */
const FAVOURABLE: CueFamily[] = ['praise', 'habit', 'solution', 'comparison', 'value', 'gift', 'recommend'];
export const SENTIMENT_WEIGHTS = { base: 0.24, perFavourableClause: 0.17, maxClauses: 4, perFeatureClause: 0.06, maxFeatureClauses: 3, explicit: 0.12, emotion: 0.1, perComplaintClause: 0.25 } as const;

/**
 * S = clamp(0.24 + 0.17·favourable clauses (at most 4) + 0.06·describing clauses (at most 3) + 0.12·explicit recommendation + 0.10·emotion − 0.25·complaint
 * clauses, 0, 1). A favourable clause praises, tells a habit, a solved problem, a comparison won, value or a gift
 * (recommendation-cues.ts, negation carried: "안 아프더라고요" counts for, "좋진 않아요" against). Emotion is any of
 * the lexicon's emotional expressions, exclamations or emphasis repeats. Calibrated on the tuning set so that a
 * named product praised in two clauses reaches the review line (40) with neutral channel statistics.
 */
export function scoreSentiment(speech: string): ComponentScore {
  const text = normalizeText(speech);
  if (!text) return { score: 0, evidence: ['발화 없음'] };
  const w = SENTIMENT_WEIGHTS;
  const clauses = textCues(text);
  const favourable = clauses.filter((c) => c.cues.some((q) => FAVOURABLE.includes(q.family)) && !c.cues.some((q) => q.family === 'complaint'));
  // as in the episode verdict, complaints told before a switch ("허리에 안 맞았어요" … "이걸로 바꾸고 나서") were about the old state
  const switched = clauses.findLastIndex((c) => c.cues.some((q) => q.family === 'solution'));
  const complaints = clauses.filter((c, i) => i > switched && c.cues.some((q) => q.family === 'complaint'));
  // a clause that describes what the product does ("바스켓이 커서 통째로 들어가요") leans positive in a recommendation
  const described = clauses.filter((c) => !favourable.includes(c) && !complaints.includes(c) && c.cues.some((q) => q.family === 'feature'));
  const explicit = clauses.some((c) => c.cues.some((q) => q.family === 'recommend'));
  const emotional = hits(text, EMOTIONAL_EXPRESSIONS, NEGATED_AFTER, false).filter((h) => !h.negated);
  const exclamations = [...text.matchAll(EXCLAMATION_PATTERN)].map((m) => m[0]);
  const emphasis = [...text.matchAll(EMPHASIS_PATTERN)].map((m) => m[0]);
  const emotion = emotional.length + exclamations.length + emphasis.length > 0;
  const score = clamp01(
    w.base + w.perFavourableClause * Math.min(w.maxClauses, favourable.length) + w.perFeatureClause * Math.min(w.maxFeatureClauses, described.length) + (explicit ? w.explicit : 0) + (emotion ? w.emotion : 0) - w.perComplaintClause * complaints.length,
  );
  const cueTexts = (cs: typeof clauses, fams: CueFamily[]) => uniq(cs.flatMap((c) => c.cues.filter((q) => fams.includes(q.family)).map((q) => q.text)));
  const evidence: string[] = [];
  if (favourable.length) evidence.push(`긍정 절 ${favourable.length}개: ${cueTexts(favourable, FAVOURABLE).slice(0, 8).join(', ')}`);
  if (described.length) evidence.push(`사용감·기능 묘사 ${described.length}개`);
  if (explicit) evidence.push('명시적 추천');
  if (complaints.length) evidence.push(`부정 절 ${complaints.length}개: ${cueTexts(complaints, ['complaint']).join(', ')}`);
  if (exclamations.length) evidence.push(`감탄부호: ${uniq(exclamations).join(' ')}`);
  if (emphasis.length) evidence.push(`강조 반복: ${uniq(emphasis).join(', ')}`);
  if (emotional.length) evidence.push(`감정 표현: ${uniq(emotional.map((h) => h.term)).join(', ')}`);
  if (evidence.length === 0) evidence.push('평가 표현 없음');
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
export const ENDORSEMENT_SATURATION = 2;

/**
 * E = 0.30·usage + 0.25·demonstration + 0.20·effect + 0.15·experience + 0.10·possession, each category
 * min(1, distinct terms / ENDORSEMENT_SATURATION), terms from the lexicon and the clause cues; demonstration = 0.4·text + 0.6·level when the endorsement type
 * is known, else text alone. Matching ignores spacing ("이렇게 써" = "이렇게써").
 */
export function scoreEndorsement(speech: string, endorsementType?: EndorsementType | null): ComponentScore {
  const compact = normalizeText(speech).replace(/\s+/g, '').toLowerCase();
  const evidence: string[] = [];
  const part = {} as Record<EndorsementCategory, number>;
  // clause cues count with the lexicon: "2년째" is possession, "덕분에 …" an effect, "제가 쓰는 건" experience
  const cues = textCues(speech).flatMap((c) => c.cues);
  const cueTerms: Record<EndorsementCategory, string[]> = {
    usage: cues.filter((c) => c.family === 'usage').map((c) => c.text),
    demonstration: cues.filter((c) => c.family === 'comparison').map((c) => c.text),
    effect: cues.filter((c) => c.family === 'solution' || c.family === 'praise').map((c) => c.text),
    experience: cues.filter((c) => c.family === 'intro').map((c) => c.text),
    possession: cues.filter((c) => c.family === 'habit' || c.family === 'recommend').map((c) => c.text),
  };
  for (const category of Object.keys(ENDORSEMENT_LEXICON) as EndorsementCategory[]) {
    const found = uniq([...ENDORSEMENT_LEXICON[category].filter((term) => compact.includes(term.replace(/\s+/g, '').toLowerCase())), ...cueTerms[category]]);
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
