import fs from 'node:fs/promises';
import { z } from 'zod';
import { generateStructured } from '@/src/server/integrations/gemini/client';
import type { TranscriptSegment } from './captions';

/** Gemini transcription (audio inline, or a public YouTube URL read by Gemini itself): timestamped Korean segments. */
const segmentsSchema = z.object({
  segments: z
    .array(
      z.object({
        start: z.number().min(0),
        end: z.number().min(0),
        text: z.string(),
      }),
    )
    .max(5000),
});

const responseSchema = {
  type: 'OBJECT',
  properties: {
    segments: {
      type: 'ARRAY',
      items: {
        type: 'OBJECT',
        properties: { start: { type: 'NUMBER' }, end: { type: 'NUMBER' }, text: { type: 'STRING' } },
        required: ['start', 'end', 'text'],
      },
    },
  },
  required: ['segments'],
};

const SYSTEM =
  'You transcribe Korean speech verbatim. Return JSON {segments:[{start,end,text}]} with times in seconds from the ' +
  'start of the media, one segment per sentence or phrase, in order. Do not summarize, translate or add anything.';

function clean(segments: TranscriptSegment[]): TranscriptSegment[] {
  return segments
    .map((s) => ({ start: Math.min(s.start, s.end), end: Math.max(s.start, s.end), text: s.text.trim() }))
    .filter((s) => s.text)
    .sort((a, b) => a.start - b.start);
}

export async function transcribeAudioWithGemini(audioPath: string, mimeType: string, videoId: number): Promise<TranscriptSegment[]> {
  const data = (await fs.readFile(audioPath)).toString('base64');
  const out = await generateStructured({
    operation: 'transcribe_audio',
    videoId,
    system: SYSTEM,
    parts: [{ inlineData: { mimeType, data } }, { text: '이 오디오의 한국어 음성을 타임스탬프와 함께 그대로 받아 적어 주세요.' }],
    responseSchema,
    schema: segmentsSchema,
    maxOutputTokens: 32768,
  });
  return clean(out.segments);
}

/** Gemini reads a public YouTube video by URL (used when the media itself could not be downloaded). */
export async function transcribeFromYoutubeUrl(youtubeUrl: string, videoId: number): Promise<TranscriptSegment[]> {
  const out = await generateStructured({
    operation: 'transcribe_youtube_url',
    videoId,
    system: SYSTEM,
    parts: [{ fileData: { fileUri: youtubeUrl, mimeType: 'video/*' } }, { text: '이 영상의 한국어 음성을 타임스탬프와 함께 그대로 받아 적어 주세요.' }],
    responseSchema,
    schema: segmentsSchema,
    maxOutputTokens: 32768,
  });
  return clean(out.segments);
}
