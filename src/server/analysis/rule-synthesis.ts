/**
 * Rule-based pass 2 (PRODUCT.md step 8): fills the candidate record from the window's speech, OCR lines and
 * detections without inventing anything — an unclear name is "확인 필요", unknown fields are null or empty.
 *
 * Product name: candidates come from OCR (a brand line such as "ROUND LAB" joined with a product line such as
 * "1025 DOKDO TONER"; Hangul lines naming brand and product) and from speech (a known brand followed by up to four
 * words ending in a product noun: "라운드랩 독도 토너예요" → "라운드랩 독도 토너"). A candidate confirmed by the other
 * source (sameProduct) wins; Hangul is preferred among equals because Coupang is searched in Korean.
 */
import { categoryFor, DETECTION_CATEGORIES } from './category-table';
import { normalizeText } from './normalize-korean';
import { BRAND_ALIASES, findBrand, sameProduct, WORD_ALIASES, type BrandAlias } from './product-identity';
import { SIGNAL_RULES, STRONG_NEGATIVES, type SignalFamily } from './recommendation-signals';
import {
  captionSummary,
  hookSentence,
  recommendedHashtags,
  recommendedTitles,
  UNKNOWN_PRODUCT,
  type CopyInput,
} from './synthesis-copy';
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

type NameCandidate = { name: string; source: 'ocr' | 'speech'; brand: BrandAlias | null; noun: boolean; hangul: boolean };

const SIZE_LINE = /^[\d.,\s/]*(?:ml|g|kg|fl\.?\s*oz|oz|매|개입|ea)(?:[\s/\d.,]*(?:ml|g|kg|fl\.?\s*oz|oz))*\s*$/i;
/** Copulas and particles that never end a product name ("토너예요", "크림은"). */
const PARTICLE_TAIL = /(?:이에요|예요|에요|이고요|인데요|인데|입니다|이랑|이요|이고|으로|이나|은|는|을|를|랑)$/;
/** Short particles that can also end a real word ("독도"): stripped only when a product noun remains ("토너가"). */
const SHORT_PARTICLE_TAIL = /(?:이|가|도|로|요)$/;
const PRODUCT_NOUN = new RegExp(
  `(?:${[...new Set([...Object.values(WORD_ALIASES), '토너', '패드', '세럼', '앰플', '크림', '로션', '쿠션', '틴트', '오일', '밤', '마스크', '선', '향수', '디퓨저', '립밤', '팔레트', '파운데이션', '스틱', '체어원', '제트', '530', '블랑쉬', '오데썽', '고데기', '주걱', '에어프라이어', '그래놀라', '니트'])].sort((a, b) => b.length - a.length).join('|')})$`,
  'i',
);

const hasHangul = (s: string) => /[\uAC00-\uD7A3]/.test(s);
const isProductWord = (w: string) => PRODUCT_NOUN.test(w) || categoryFor(w) !== null;
function stripParticles(word: string): string {
  const w = word.replace(PARTICLE_TAIL, '');
  const shorter = w.replace(SHORT_PARTICLE_TAIL, '');
  return shorter !== w && shorter && isProductWord(shorter) ? shorter : w;
}

function ocrCandidates(lines: OcrLine[], minConfidence: number): NameCandidate[] {
  const texts = lines
    .filter((l) => l.confidence >= minConfidence)
    .map((l) => normalizeText(l.text))
    .filter((t) => t && !SIZE_LINE.test(t));
  const uniqueTexts = [...new Set(texts)];
  const brandLines = uniqueTexts.filter((t) => {
    const b = findBrand(t);
    return b && [...b.latin, ...b.hangul].some((a) => a.toLowerCase() === t.toLowerCase());
  });
  const out: NameCandidate[] = [];
  for (const t of uniqueTexts) {
    if (brandLines.includes(t)) continue;
    const words = t.split(' ');
    const noun = words.some(isProductWord);
    if (!noun) continue;
    let brand = findBrand(t);
    let name = t;
    if (!brand) {
      // join a brand line written in the same script ("ROUND LAB" + "1025 DOKDO TONER")
      const partner = brandLines.find((b) => hasHangul(b) === hasHangul(t));
      if (partner) {
        name = `${partner} ${t}`;
        brand = findBrand(partner);
      }
    }
    out.push({ name, source: 'ocr', brand, noun, hangul: hasHangul(name) });
  }
  if (out.length === 0 && brandLines.length > 0) {
    const b = brandLines[0];
    out.push({ name: b, source: 'ocr', brand: findBrand(b), noun: false, hangul: hasHangul(b) });
  }
  return out;
}

function speechCandidates(text: string): NameCandidate[] {
  const words = normalizeText(text).split(' ');
  const out: NameCandidate[] = [];
  for (let i = 0; i < words.length; i++) {
    const clean = (w: string) => w.replace(/[.,!?~…"'()]+/g, '');
    const brand = BRAND_ALIASES.find((b) => [...b.hangul, ...b.latin].some((a) => clean(words[i]).toLowerCase().startsWith(a.toLowerCase().replace(/\s+/g, ''))));
    if (!brand) continue;
    const picked = [stripParticles(clean(words[i]))];
    let noun = isProductWord(picked[0]) && picked[0].length > 0 && !brand.hangul.includes(picked[0]);
    for (let j = i + 1; j < Math.min(words.length, i + 5) && !noun; j++) {
      const raw = clean(words[j]);
      const w = stripParticles(raw);
      if (!w) break;
      picked.push(w);
      if (isProductWord(w)) noun = true;
      if (/[.!?]$/.test(words[j]) || raw !== w) break; // a sentence end or a particle closes the name
    }
    const name = noun ? picked.join(' ') : picked[0];
    out.push({ name, source: 'speech', brand, noun, hangul: hasHangul(name) });
  }
  return out;
}

function pickName(cands: NameCandidate[]): { name: string; sources: CandidateFields['name_sources'] } {
  const scored = cands.map((c) => {
    const confirmed = cands.some((o) => o.source !== c.source && sameProduct(o.name, c.name));
    return { c, confirmed, score: (confirmed ? 3 : 0) + (c.brand ? 1 : 0) + (c.noun ? 1 : 0) + (c.hangul ? 0.2 : 0) + (c.source === 'ocr' ? 0.1 : 0) };
  });
  scored.sort((a, b) => b.score - a.score);
  const best = scored[0];
  const clear = best && (best.confirmed || (best.c.brand && best.c.noun));
  return {
    name: clear ? best.c.name : UNKNOWN_PRODUCT,
    sources: scored.map((s) => ({ name: s.c.name, source: s.c.source, confirmed: s.confirmed })),
  };
}

const FEATURE_FAMILIES: SignalFamily[] = ['describing', 'effect', 'attachment'];
const LEADING_FILLER = /^(?:(?:제가|저는|그리고|근데|그래서|아|자|진짜|정말|사실|무엇보다|일단|이건|이거|요즘)\s+)+/;

function clauses(segments: TranscriptSegment[]): string[] {
  return segments
    .flatMap((s) => normalizeText(s.text).split(/(?<=[.!?])\s+|,\s+/))
    .map((c) => c.replace(/[.!?~]+$/, '').trim())
    .filter(Boolean);
}

function weightOf(clause: string, families: SignalFamily[]): number {
  const compact = clause.replace(/\s+/g, '');
  if (STRONG_NEGATIVES.some((re) => re.test(compact))) return 0;
  return SIGNAL_RULES.filter((r) => families.includes(r.family) && r.pattern.test(compact)).reduce((s, r) => s + r.weight, 0);
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

/** The most vivid short clause: effect/texture/attachment first, plain praise ("강력 추천합니다") counts less. */
function hookQuote(cs: string[]): string | null {
  let best: { c: string; w: number } | null = null;
  for (const c of cs) {
    const w = weightOf(c, ['effect', 'describing', 'attachment']) + 0.3 * weightOf(c, ['praise']);
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

export function pricePoint(text: string, brand: BrandAlias | null): PricePoint | null {
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

export function synthesizeCandidateByRules(input: SynthesisInput, opts: Partial<SynthesisOptions> = {}): CandidateFields {
  const o = { ...DEFAULT_SYNTHESIS_OPTIONS, ...opts };
  const speech = input.segments.map((s) => s.text).join(' ');
  const cs = clauses(input.segments);
  const { name, sources } = pickName([...ocrCandidates(input.ocrLines, o.minOcrConfidence), ...speechCandidates(speech)]);
  const ocrText = input.ocrLines.filter((l) => l.confidence >= o.minOcrConfidence).map((l) => l.text).join(' ');
  const detectionCategory =
    input.detections.filter((d) => d.score >= o.minDetectionScore).map((d) => DETECTION_CATEGORIES[d.label]).find(Boolean) ?? null;
  const category_path =
    (name !== UNKNOWN_PRODUCT ? categoryFor(name) : null) ?? categoryFor(ocrText) ?? categoryFor(speech) ?? detectionCategory;
  const brand = name !== UNKNOWN_PRODUCT ? findBrand(name) : findBrand(`${ocrText} ${speech}`);
  const copy: CopyInput = {
    celebrityName: input.video.celebrityName.trim(),
    videoTitle: input.video.title.trim(),
    productName: name,
    categoryPath: category_path,
    features: features(cs),
    hookQuote: hookQuote(cs),
    brandHangul: brand?.hangul[0] ?? null,
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
    name_sources: sources,
  };
}
