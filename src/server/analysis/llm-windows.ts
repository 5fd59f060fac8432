import { z } from 'zod';
import type { StructuredRequest } from '@/src/server/integrations/gemini/client';
import type { RecommendationWindow, TranscriptSegment } from './types';

/**
 * LLM pass 1 (PRODUCT.md step 6): the transcript goes to Gemini in chunks (long videos: ~8 min per chunk with 1 min of
 * overlap), each answer is validated, windows are clamped to their chunk and merged where chunks overlap.
 */
export const llmWindowsSchema = z.object({
  windows: z
    .array(
      z.object({
        start: z.number().min(0),
        end: z.number().min(0),
        reason: z.string().max(500),
        confidence: z.number().min(0).max(1),
      }),
    )
    .max(100),
});

const responseSchema = {
  type: 'OBJECT',
  properties: {
    windows: {
      type: 'ARRAY',
      items: {
        type: 'OBJECT',
        properties: {
          start: { type: 'NUMBER', description: 'seconds from video start' },
          end: { type: 'NUMBER', description: 'seconds from video start' },
          reason: { type: 'STRING', description: 'short Korean explanation' },
          confidence: { type: 'NUMBER', description: '0..1' },
        },
        required: ['start', 'end', 'reason', 'confidence'],
      },
    },
  },
  required: ['windows'],
};

export const WINDOWS_SYSTEM = [
  'You find moments in a Korean YouTube vlog transcript where the speaker genuinely recommends a product.',
  'Signals, even without a product name: introducing ("요즘 진짜 잘 쓰는 게 있는데"), describing texture/use ("발라보면 제형이 꾸덕해요"),',
  'sharing an effect ("이거 쓰고 피부가 달라졌어요"), attachment/ownership ("파우치에 항상 들어있어요").',
  'Ignore greetings, video intros, food/places/people, and negative opinions.',
  'Return JSON {windows:[{start,end,reason,confidence}]} with times in seconds taken from the transcript lines;',
  'each window covers the whole recommendation (5–60 s). An empty list is a valid answer. Never invent.',
].join(' ');

export type Chunk = { start: number; end: number; segments: TranscriptSegment[] };

export function chunkTranscript(segments: TranscriptSegment[], chunkSec = 480, overlapSec = 60): Chunk[] {
  if (!segments.length) return [];
  const last = Math.max(...segments.map((s) => s.end));
  const chunks: Chunk[] = [];
  for (let start = 0; start < last; start += chunkSec - overlapSec) {
    const end = start + chunkSec;
    const segs = segments.filter((s) => s.end > start && s.start < end);
    if (segs.length) chunks.push({ start, end: Math.min(end, last), segments: segs });
    if (end >= last) break;
  }
  return chunks;
}

export function formatSegments(segments: TranscriptSegment[]): string {
  return segments.map((s) => `[${s.start.toFixed(1)}-${s.end.toFixed(1)}] ${s.text}`).join('\n');
}

/** Overlapping windows (from neighbouring chunks) become one, keeping the higher confidence and its reason. */
export function mergeWindows(windows: RecommendationWindow[]): RecommendationWindow[] {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  const out: RecommendationWindow[] = [];
  for (const w of sorted) {
    const prev = out.at(-1);
    if (prev && w.start < prev.end) {
      const stronger = w.confidence > prev.confidence ? w : prev;
      out[out.length - 1] = { ...stronger, start: prev.start, end: Math.max(prev.end, w.end), confidence: Math.max(prev.confidence, w.confidence) };
    } else out.push(w);
  }
  return out;
}

/** One Gemini request per chunk of the transcript (pure: the windows context sends them). */
export function windowsRequests(segments: TranscriptSegment[], ctx: { videoId: number; title: string }): { chunk: Chunk; request: StructuredRequest<z.infer<typeof llmWindowsSchema>> }[] {
  return chunkTranscript(segments).map((chunk) => ({
    chunk,
    request: {
      operation: 'find_windows',
      videoId: ctx.videoId,
      system: WINDOWS_SYSTEM,
      parts: [{ text: `영상 제목: ${ctx.title}\n자막 (${chunk.start.toFixed(0)}–${chunk.end.toFixed(0)}초):\n${formatSegments(chunk.segments)}` }],
      responseSchema,
      schema: llmWindowsSchema,
    },
  }));
}

/** A chunk's answer as windows, clamped to the chunk. */
export function windowsFromAnswer(chunk: Chunk, answer: z.infer<typeof llmWindowsSchema>): RecommendationWindow[] {
  const out: RecommendationWindow[] = [];
  for (const w of answer.windows) {
    const start = Math.max(chunk.start, Math.min(w.start, w.end));
    const end = Math.min(chunk.end, Math.max(w.start, w.end));
    if (end - start < 1) continue;
    out.push({ start, end, reason: w.reason, confidence: w.confidence, signals: ['llm'], method: 'llm' });
  }
  return out;
}
