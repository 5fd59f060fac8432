/**
 * Rule-based pass 2 (PRODUCT.md step 8): fills the candidate record from the window's speech, on-screen text and
 * detections without inventing anything — an unclear name is "확인 필요", unknown fields are null or empty.
 * The name comes from product-naming.ts (speech and screen checked against each other); the category from the
 * product's own words (taxonomy.ts), else its brand's category, else the product nouns said in the window, else the
 * detected object; features and the hook from the clauses that praise the product (recommendation-cues.ts).
 */
import { brandDisplayName, type Brand } from './brand-gazetteer';
import { normalizeText } from './normalize-korean';
import { pickProductName, screenNames, speechNames } from './product-naming';
import { clauseCues, splitClauses, type CueFamily } from './recommendation-cues';
import {
  captionSummary,
  hookSentence,
  recommendedHashtags,
  recommendedTitles,
  UNKNOWN_PRODUCT,
  type CopyInput,
} from './synthesis-copy';
import { categoryFor, DETECTION_CATEGORIES, findProductNouns } from './taxonomy';
import type { Detection, OcrLine, TranscriptSegment } from './types';

export { productKey, sameProduct } from './product-identity';
export { COUPANG_DISCLOSURE, UNKNOWN_PRODUCT } from './synthesis-copy';

export type PricePoint = '저가' | '중가' | '프리미엄' | '럭셔리';
export type EndorsementType = '명시적 추천' | '자연스러운 언급' | '습관적 사용' | '비교 리뷰' | '튜토리얼 시연';

export type SynthesisInput = {
  segments: TranscriptSegment[];
  ocrLines: OcrLine[];
  detections: Detection[];
  video: { title: string; description: string; celebrityName: string };
};

export type SynthesisOptions = { minOcrConfidence: number; minDetectionScore: number };
export const DEFAULT_SYNTHESIS_OPTIONS: SynthesisOptions = { minOcrConfidence: 0.5, minDetectionScore: 0.5 };

export type CandidateFields = {
  product_name_ai: string;
  category_path: string | null;
  features: string[];
  hook_sentence: string;
  summary_for_caption: string;
  target_audience: string[];
  price_point: PricePoint | null;
  endorsement_type: EndorsementType;
  recommended_titles: [string, string, string];
  recommended_hashtags: string[];
  /** Where the name came from, for the evidence panel. */
  name_sources: { name: string; source: 'ocr' | 'speech'; confirmed: boolean }[];
};

const FEATURE_FAMILIES: CueFamily[] = ['praise', 'habit', 'solution', 'comparison', 'value'];
const LEADING_FILLER = /^(?:(?:제가|저는|그리고|근데|그래서|아|자|진짜|정말|사실|무엇보다|일단|이건|이거|요즘|솔직히|약간|완전)\s+)+/;

function clauses(segments: TranscriptSegment[]): string[] {
  return segments.flatMap((s) => splitClauses(s.text)).map((c) => c.replace(/[.!?~,]+$/, '').trim()).filter(Boolean);
}

/** How strongly a clause says the product is good, counting only the given families; a complaint zeroes it. */
function weightOf(clause: string, families: CueFamily[]): number {
  const cues = clauseCues(clause);
  if (cues.some((c) => c.family === 'complaint')) return 0;
  return cues.filter((c) => families.includes(c.family)).length;
}

function features(cs: string[]): string[] {
  const out: string[] = [];
  for (const c of cs) {
    if (weightOf(c, FEATURE_FAMILIES) === 0) continue;
    const f = c.replace(LEADING_FILLER, '').trim();
    if (f.length >= 4 && f.length <= 40 && !out.includes(f)) out.push(f);
  }
  return out.slice(0, 5);
}

/** The most vivid short clause: effect, habit and comparison first, plain praise ("강력 추천합니다") counts less. */
function hookQuote(cs: string[]): string | null {
  let best: { c: string; w: number } | null = null;
  for (const c of cs) {
    const w = weightOf(c, ['praise', 'habit', 'solution', 'comparison']) + 0.3 * weightOf(c, ['recommend']);
    if (w > 0 && c.length <= 40 && (!best || w > best.w)) best = { c, w };
  }
  return best?.c ?? null;
}

function targetAudience(text: string): string[] {
  const out: string[] = [];
  for (const m of normalizeText(text).matchAll(/((?:[가-힣A-Za-z0-9]+\s){0,3}[가-힣A-Za-z0-9]+)\s*분들(?:은|도|한테|께|에게)/g)) {
    const phrase = m[1].replace(/^(?:저처럼|특히|그리고|진짜|여러분도?)\s+/, '').trim();
    if (/물어보|구독|시청/.test(phrase) || phrase.length < 2) continue;
    const a = `${phrase} 분`;
    if (!out.includes(a)) out.push(a);
  }
  return out.slice(0, 3);
}

function parsePrice(text: string): number | null {
  const t = normalizeText(text);
  const m = t.match(/(\d[\d,]*)\s*(만|천)?\s*원/) ?? t.match(/(?<![가-힣])(천|만)\s*원/);
  if (!m) return null;
  if (m[1] === '천') return 1000;
  if (m[1] === '만') return 10000;
  const n = Number(m[1].replace(/,/g, ''));
  return m[2] === '만' ? n * 10000 : m[2] === '천' ? n * 1000 : n;
}

export function pricePoint(text: string, brand: Brand | null): PricePoint | null {
  const price = parsePrice(text);
  if (price !== null) return price < 15000 ? '저가' : price < 50000 ? '중가' : price < 150000 ? '프리미엄' : '럭셔리';
  if (brand?.tier === 'luxury') return '럭셔리';
  const compact = normalizeText(text).replace(/\s+/g, '');
  if (/가성비|저렴|가격도착|가격이착|싸요|싸고/.test(compact)) return '저가';
  if (brand?.tier === 'premium' || /비싸|고급스러/.test(compact)) return '프리미엄';
  return null;
}

export function endorsementType(text: string): EndorsementType {
  const c = normalizeText(text).replace(/\s+/g, '');
  if (/비교|vs|보다더|가더잘맞|왼쪽이|오른쪽이/i.test(c)) return '비교 리뷰';
  const tutorialCues = (c.match(/이렇게|발라주면|펴발라|해줄게요|해주면|말아주면|순서|단계|다음은|마지막으로/g) ?? []).length;
  if (tutorialCues >= 2) return '튜토리얼 시연';
  if (/강력추천|강추|추천(?:합니다|해요|드려요)|인생템|꼭써보세요|써보세요|최애/.test(c) && !/추천(?:안|하지않)/.test(c)) return '명시적 추천';
  if (/매일|항상|통째|재구매|년째|자주/.test(c)) return '습관적 사용';
  return '자연스러운 언급';
}

/**
 * The category: the name's own product noun; a brand's category overrules a weak or foreign noun ("메디힐 … 마스크" is a
 * mask pack, not a face mask); else the nouns said or shown in the window; else the detected object.
 */
function chooseCategory(name: string, brand: Brand | null, speech: string, ocrText: string, detections: Detection[], minScore: number): string | null {
  const own = name !== UNKNOWN_PRODUCT ? categoryFor(name) : null;
  if (own && (!brand || own.startsWith(brand.category))) return own;
  if (brand) {
    const said = categoryFor(`${ocrText} ${speech}`);
    if (said?.startsWith(brand.category)) return said;
    const strongOwn = own && findProductNouns(name).some((n) => !n.weak && n.path === own);
    return strongOwn ? own : brand.category;
  }
  return (
    categoryFor(ocrText) ??
    categoryFor(speech) ??
    detections.filter((d) => d.score >= minScore).map((d) => DETECTION_CATEGORIES[d.label]).find(Boolean) ??
    null
  );
}

export function synthesizeCandidateByRules(input: SynthesisInput, opts: Partial<SynthesisOptions> = {}): CandidateFields {
  const o = { ...DEFAULT_SYNTHESIS_OPTIONS, ...opts };
  const speech = input.segments.map((s) => s.text).join(' ');
  const cs = clauses(input.segments);
  const picked = pickProductName(speechNames(speech), screenNames(input.ocrLines, o.minOcrConfidence, input.detections.filter((d) => d.score >= o.minDetectionScore)), speech);
  const name = picked.name;
  const ocrText = input.ocrLines.filter((l) => l.confidence >= o.minOcrConfidence).map((l) => l.text).join(' ');
  const brand = picked.brand;
  const category_path = chooseCategory(name, brand, speech, ocrText, input.detections, o.minDetectionScore);
  const copy: CopyInput = {
    celebrityName: input.video.celebrityName.trim(),
    videoTitle: input.video.title.trim(),
    productName: name,
    categoryPath: category_path,
    features: features(cs),
    hookQuote: hookQuote(cs),
    brandHangul: brand ? brandDisplayName(brand) : null,
  };
  return {
    product_name_ai: name,
    category_path,
    features: copy.features,
    hook_sentence: hookSentence(copy),
    summary_for_caption: captionSummary(copy),
    target_audience: targetAudience(speech),
    price_point: pricePoint(`${speech} ${ocrText}`, brand),
    endorsement_type: endorsementType(speech),
    recommended_titles: recommendedTitles(copy),
    recommended_hashtags: recommendedHashtags(copy),
    name_sources: picked.sources,
  };
}
