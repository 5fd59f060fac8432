import { z } from 'zod';
import type { StructuredRequest } from '@/src/server/integrations/gemini/client';

/**
 * Visual evidence without a media file (PRODUCT.md step 7 when the video could not be downloaded): Gemini watches one
 * recommendation window of the public YouTube URL — a video part with start/end offsets — and reports the product
 * text it sees on screen, line by line as written, and the products being shown. Speech is not asked for: the
 * transcript already has it. The answer is validated; nothing visible is a valid answer (empty lists).
 */
export const windowVideoAnswerSchema = z.object({
  on_screen_text: z.array(z.string().max(300)).max(100),
  products: z
    .array(
      z.object({
        name: z.string().max(200),
        brand: z.string().max(100).nullable(),
        where: z.string().max(300),
      }),
    )
    .max(20),
});
export type WindowVideoAnswer = z.infer<typeof windowVideoAnswerSchema>;

export const windowVideoResponseSchema = {
  type: 'OBJECT',
  properties: {
    on_screen_text: {
      type: 'ARRAY',
      description: 'Each line of product text visible on screen, exactly as written (Latin/Hangul as shown).',
      items: { type: 'STRING' },
    },
    products: {
      type: 'ARRAY',
      items: {
        type: 'OBJECT',
        properties: {
          name: { type: 'STRING' },
          brand: { type: 'STRING', nullable: true },
          where: { type: 'STRING', description: 'Short Korean description of where the product appears on screen.' },
        },
        required: ['name', 'brand', 'where'],
      },
    },
  },
  required: ['on_screen_text', 'products'],
};

export const WINDOW_VIDEO_SYSTEM = [
  'You look at a short interval of a Korean celebrity YouTube video and report only what is visible on screen in it.',
  'on_screen_text: every line of product text you can read (packaging, labels, product cards, captions naming a',
  'product), one entry per line, exactly as written: Latin and Hangul as shown, no translation, no correction, no',
  'guessing of unreadable letters. products: each product being shown, with its name, its brand (null when not',
  'visible or known) and a short Korean description of where it appears (e.g. "손에 든 흰색 케이스").',
  'Ignore the speech and anything outside the interval. Nothing visible: empty lists. Never invent.',
].join(' ');

/** A google.protobuf.Duration as JSON ("19s", "19.5s"): seconds from the video's start, to the millisecond. */
export function durationOffset(seconds: number): string {
  const s = Math.max(0, Number.isFinite(seconds) ? seconds : 0);
  return `${Number(s.toFixed(3))}s`;
}

export function windowVideoPrompt(start: number, end: number): string {
  return `이 영상의 ${durationOffset(start)}–${durationOffset(end)} 구간에서 화면에 보이는 제품 글자를 줄마다 보이는 그대로 적고, 보여지는 제품(이름, 브랜드, 화면에서의 위치)을 알려 주세요.`;
}

/** The Gemini request asking what is on screen in [start, end] of a public YouTube video (pure). */
export function windowVideoRequest(input: { youtubeUrl: string; start: number; end: number; videoId: number }): StructuredRequest<WindowVideoAnswer> {
  return {
    operation: 'read_window_video',
    videoId: input.videoId,
    system: WINDOW_VIDEO_SYSTEM,
    parts: [
      {
        fileData: { fileUri: input.youtubeUrl, mimeType: 'video/*' },
        videoMetadata: { startOffset: durationOffset(input.start), endOffset: durationOffset(input.end) },
      },
      { text: windowVideoPrompt(input.start, input.end) },
    ],
    responseSchema: windowVideoResponseSchema,
    schema: windowVideoAnswerSchema,
  };
}
