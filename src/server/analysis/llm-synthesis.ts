import { z } from 'zod';
import type { Part } from '@google/genai';
import type { StructuredRequest } from '@/src/server/integrations/gemini/client';
import type { CandidateFields, EndorsementType, PricePoint } from './rule-synthesis';
import { UNKNOWN_PRODUCT } from './synthesis-copy';
import type { Detection, OcrLine, TranscriptSegment } from './types';

/**
 * LLM pass 2 (PRODUCT.md step 8): transcript span + OCR lines + detections (+ the best frames as images) → the
 * candidate record. The answer is validated; unknown stays null/empty and an unclear product is "확인 필요".
 */
const pricePoints = ['저가', '중가', '프리미엄', '럭셔리'] as const satisfies readonly PricePoint[];
const endorsementTypes = ['명시적 추천', '자연스러운 언급', '습관적 사용', '비교 리뷰', '튜토리얼 시연'] as const satisfies readonly EndorsementType[];

export const llmCandidateSchema = z.object({
  is_product_recommendation: z.boolean(),
  product_name: z.string().max(200).nullable(),
  category_path: z.string().max(200).nullable(),
  features: z.array(z.string().max(300)).max(20),
  hook_sentence: z.string().max(300).nullable(),
  summary_for_caption: z.string().max(2000).nullable(),
  target_audience: z.array(z.string().max(100)).max(10),
  price_point: z.enum(pricePoints).nullable(),
  endorsement_type: z.enum(endorsementTypes).nullable(),
  recommended_titles: z.array(z.string().max(200)).length(3),
  recommended_hashtags: z.array(z.string().max(100)).min(8).max(30),
  ppl: z.object({ is_ppl: z.boolean(), confidence: z.number().min(0).max(1), reason: z.string().max(500) }),
});
export type LlmCandidate = z.infer<typeof llmCandidateSchema>;

const str = { type: 'STRING' };
const strArr = { type: 'ARRAY', items: str };
const responseSchema = {
  type: 'OBJECT',
  properties: {
    is_product_recommendation: { type: 'BOOLEAN' },
    product_name: { type: 'STRING', nullable: true },
    category_path: { type: 'STRING', nullable: true, description: '1–3 levels joined by " > "' },
    features: strArr,
    hook_sentence: { type: 'STRING', nullable: true },
    summary_for_caption: { type: 'STRING', nullable: true },
    target_audience: strArr,
    price_point: { type: 'STRING', nullable: true, enum: [...pricePoints] },
    endorsement_type: { type: 'STRING', nullable: true, enum: [...endorsementTypes] },
    recommended_titles: strArr,
    recommended_hashtags: strArr,
    ppl: {
      type: 'OBJECT',
      properties: { is_ppl: { type: 'BOOLEAN' }, confidence: { type: 'NUMBER' }, reason: str },
      required: ['is_ppl', 'confidence', 'reason'],
    },
  },
  required: [
    'is_product_recommendation', 'product_name', 'category_path', 'features', 'hook_sentence', 'summary_for_caption',
    'target_audience', 'price_point', 'endorsement_type', 'recommended_titles', 'recommended_hashtags', 'ppl',
  ],
};

export const SYNTHESIS_SYSTEM = [
  'You prepare an Instagram Reels candidate from one moment of a Korean celebrity vlog where a product is recommended.',
  'Use only the evidence given (speech, OCR text read from the frames, detected objects, images). Never invent:',
  `unknown fields are null or empty lists; if the exact product is unclear, product_name is "${UNKNOWN_PRODUCT}".`,
  'features: only what was said. category_path: 1–3 Korean levels like "뷰티 > 스킨케어 > 토너".',
  'recommended_titles: exactly 3 Korean titles. recommended_hashtags: at least 8, each starting with #.',
  'ppl: your judgement whether this segment is a paid placement (협찬/광고), with a short reason.',
  'All text in Korean.',
].join(' ');

export type LlmSynthesisInput = {
  videoId: number;
  video: { title: string; description: string; celebrityName: string; channelTitle: string };
  segments: TranscriptSegment[];
  ocrLines: OcrLine[];
  detections: Detection[];
  images: Buffer[];
};

export function synthesisPrompt(input: LlmSynthesisInput): string {
  const speech = input.segments.map((s) => `[${s.start.toFixed(1)}-${s.end.toFixed(1)}] ${s.text}`).join('\n');
  const ocr = [...new Set(input.ocrLines.map((l) => l.text))].join('\n') || '(없음)';
  const det = [...new Set(input.detections.map((d) => `${d.label} (${d.score.toFixed(2)})`))].join(', ') || '(없음)';
  return [
    `셀럽: ${input.video.celebrityName || '(알 수 없음)'} · 채널: ${input.video.channelTitle || '(알 수 없음)'}`,
    `영상 제목: ${input.video.title}`,
    `영상 설명: ${input.video.description.slice(0, 1500)}`,
    `발화 (자막 구간):\n${speech}`,
    `화면 글자 (OCR):\n${ocr}`,
    `감지된 물체: ${det}`,
  ].join('\n\n');
}

/** The Gemini request for one window (pure: the candidates context sends it). */
export function synthesisRequest(input: LlmSynthesisInput): StructuredRequest<LlmCandidate> {
  const parts: Part[] = [{ text: synthesisPrompt(input) }];
  for (const img of input.images.slice(0, 3)) parts.push({ inlineData: { mimeType: 'image/jpeg', data: img.toString('base64') } });
  return { operation: 'synthesize_candidate', videoId: input.videoId, system: SYNTHESIS_SYSTEM, parts, responseSchema, schema: llmCandidateSchema };
}

/** The answer as candidate fields (null when Gemini says it is not a product recommendation) and its PPL judgement. */
export function candidateFromAnswer(a: LlmCandidate): { fields: CandidateFields | null; ppl: LlmCandidate['ppl'] } {
  if (!a.is_product_recommendation) return { fields: null, ppl: a.ppl };
  const name = a.product_name?.trim() || UNKNOWN_PRODUCT;
  return {
    ppl: a.ppl,
    fields: {
      product_name_ai: name,
      category_path: a.category_path?.trim() || null,
      features: a.features.map((f) => f.trim()).filter(Boolean),
      hook_sentence: a.hook_sentence?.trim() ?? '',
      summary_for_caption: a.summary_for_caption?.trim() ?? '',
      target_audience: a.target_audience,
      price_point: a.price_point,
      endorsement_type: a.endorsement_type ?? '자연스러운 언급',
      recommended_titles: a.recommended_titles as [string, string, string],
      recommended_hashtags: a.recommended_hashtags.map((h) => (h.startsWith('#') ? h : `#${h}`)),
      name_sources: [],
    },
  };
}
