import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { generateStructured } from '@/src/server/integrations/gemini/client';
import type { AudioPiece } from '@/src/server/media/audio';
import { log } from '@/src/server/logger';
import { isDiskFull } from '@/src/server/media/disk-full';
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

/**
 * Transcribes the speech pieces of a video (extractSpeechOpusPieces) one by one and joins them on the video's clock.
 * Where two pieces overlap, a sentence belongs to the piece in which it starts before the overlap's midpoint, so it
 * appears once and whole. Each piece's answer is kept next to it until the transcript is stored: a retry after a
 * failure in piece 5 does not pay again for pieces 1–4.
 */
export async function transcribeAudioPiecesWithGemini(pieces: AudioPiece[], videoId: number): Promise<TranscriptSegment[]> {
  const out: TranscriptSegment[] = [];
  for (const [i, piece] of pieces.entries()) {
    const from = i === 0 ? -Infinity : (piece.start + pieces[i - 1].end) / 2;
    const until = i === pieces.length - 1 ? Infinity : (pieces[i + 1].start + piece.end) / 2;
    const length = piece.end - piece.start;
    for (const s of await transcribePiece(piece, videoId)) {
      const start = piece.start + Math.min(s.start, length);
      if (start >= from && start < until) out.push({ start, end: piece.start + Math.min(s.end, length), text: s.text });
    }
  }
  return clean(out);
}

async function transcribePiece(piece: AudioPiece, videoId: number): Promise<TranscriptSegment[]> {
  const answerFile = `${piece.path}.segments.json`;
  const saved = await fs.readFile(answerFile, 'utf8').then((text) => segmentsSchema.safeParse(JSON.parse(text)), () => null);
  if (saved?.success) return saved.data.segments;
  const data = (await fs.readFile(piece.path)).toString('base64');
  const answer = await generateStructured({
    operation: 'transcribe_audio',
    videoId,
    system: SYSTEM,
    parts: [{ inlineData: { mimeType: 'audio/ogg', data } }, { text: '이 오디오의 한국어 음성을 타임스탬프와 함께 그대로 받아 적어 주세요.' }],
    responseSchema,
    schema: segmentsSchema,
    maxOutputTokens: 32768,
  });
  try {
    await fs.writeFile(`${answerFile}.part`, JSON.stringify(answer));
    await fs.rename(`${answerFile}.part`, answerFile);
  } catch (err) {
    // Only a saving for a retry, and this answer is paid for: not kept (a full disk), the transcript goes on without it.
    await fs.rm(`${answerFile}.part`, { force: true });
    log.warn({ videoId, piece: path.basename(piece.path), err: isDiskFull(err) ? 'disk full (ENOSPC)' : (err as Error).message }, 'transcribe: answer not saved for a retry');
  }
  return answer.segments;
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
