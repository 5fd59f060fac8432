import fs from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { transcribeAudio, whisperAvailable } from '@/src/models/asr';
import { getConfig } from '@/src/server/config';
import { getDb, schema, type Executor } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { geminiConfigured } from '@/src/server/integrations/gemini/client';
import { log } from '@/src/server/logger';
import { extractSpeechOpusPieces, extractSpeechWav } from '@/src/server/media/audio';
import { mediaPaths, resolveMediaPath } from '@/src/server/media/paths';
import { probeMedia } from '@/src/server/media/probe';
import { sendNext } from '@/src/server/queue';
import { findVideo, type VideoRow } from '@/src/server/videos/repo';
import { moveStage } from '@/src/server/videos/stage';
import { parseCaptions, type TranscriptSegment } from './captions';
import { transcribeAudioPiecesWithGemini, transcribeFromYoutubeUrl } from './gemini-transcribe';

export { parseCaptions, detectCaptionFormat, type TranscriptSegment } from './captions';
export { transcribeFromYoutubeUrl, transcribeAudioPiecesWithGemini } from './gemini-transcribe';

const { transcripts } = schema;
export type TranscriptSource = (typeof transcripts.$inferSelect)['source'];
export type TranscriptRow = typeof transcripts.$inferSelect;

export const NO_TRANSCRIPT_SOURCE =
  'No transcript source is available. Enable one of: (1) captions — upload a .vtt/.srt with the video (YouTube subtitles are used when yt-dlp finds them); ' +
  '(2) local Whisper — run `npm run models:fetch`; (3) Gemini — set GEMINI_API_KEY.';

/** A YouTube video whose media could not be downloaded can still be transcribed: Gemini reads its public URL. */
export function canTranscribeWithoutMedia(video: Pick<VideoRow, 'sourceKind' | 'youtubeId' | 'mediaPath'>): boolean {
  return !video.mediaPath && video.sourceKind === 'youtube' && !!video.youtubeId && geminiConfigured();
}

/**
 * PRODUCT.md step 5: the first source that works wins — captions → local Whisper → Gemini (audio) → Gemini reading the
 * YouTube URL (no media). Stores one transcript row per video (a rerun replaces it) and returns it.
 */
export async function transcribeVideo(video: VideoRow): Promise<{ source: TranscriptSource; segments: TranscriptSegment[] }> {
  const { source, segments } = await findTranscript(video);
  await saveTranscript(video.id, source, segments);
  await fs.rm(mediaPaths.speech(video.id), { recursive: true, force: true }); // Gemini's pieces: kept only for retries
  log.info({ videoId: video.id, source, segments: segments.length }, 'transcript stored');
  return { source, segments };
}

async function findTranscript(video: VideoRow): Promise<{ source: TranscriptSource; segments: TranscriptSegment[] }> {
  if (video.captionsPath) {
    const file = resolveMediaPath(video.captionsPath);
    const text = await fs.readFile(file, 'utf8').catch(() => {
      throw new DomainError('bad_request', `captions file ${video.captionsPath} is missing; upload the captions again or retry the media stage`);
    });
    const segments = parseCaptions(text, file);
    return { source: video.sourceKind === 'youtube' ? 'youtube_captions' : 'captions', segments };
  }
  if (video.mediaPath) {
    const media = resolveMediaPath(video.mediaPath);
    if (whisperAvailable()) {
      const wav = await extractSpeechWav(media, mediaPaths.audio(video.id));
      const t = await transcribeAudio(wav);
      return { source: 'whisper', segments: t.segments };
    }
    if (geminiConfigured()) {
      const duration = video.durationSeconds ?? (await probeMedia(media)).durationSeconds;
      const pieces = await extractSpeechOpusPieces(media, mediaPaths.speech(video.id), duration, getConfig().GEMINI_AUDIO_PIECE_SEC);
      return { source: 'gemini_audio', segments: await transcribeAudioPiecesWithGemini(pieces, video.id) };
    }
    throw new DomainError('not_configured', NO_TRANSCRIPT_SOURCE);
  }
  if (canTranscribeWithoutMedia(video)) {
    const url = `https://www.youtube.com/watch?v=${video.youtubeId}`;
    return { source: 'gemini_url', segments: await transcribeFromYoutubeUrl(url, video.id) };
  }
  if (video.sourceKind === 'youtube' && !getConfig().GEMINI_API_KEY) {
    throw new DomainError('not_configured', `The video's media is unavailable and Gemini is not configured to read the YouTube URL. ${NO_TRANSCRIPT_SOURCE}`);
  }
  throw new DomainError('bad_request', 'The video has no media file and no captions; retry the media stage.');
}

export async function saveTranscript(videoId: number, source: TranscriptSource, segments: TranscriptSegment[], db: Executor = getDb()) {
  await db
    .insert(transcripts)
    .values({ videoId, source, language: 'ko', segments })
    .onConflictDoUpdate({ target: transcripts.videoId, set: { source, segments, language: 'ko', createdAt: new Date() } });
}

export async function getTranscript(videoId: number): Promise<TranscriptRow | undefined> {
  const [row] = await getDb().select().from(transcripts).where(eq(transcripts.videoId, videoId));
  return row;
}

/** Segments overlapping [start, end]. */
export function segmentsWithin(segments: TranscriptSegment[], start: number, end: number): TranscriptSegment[] {
  return segments.filter((s) => s.end > start && s.start < end);
}

/**
 * The video.transcript step (PRODUCT.md step 5) → windows. Also takes back a YouTube video whose media could not be
 * downloaded (failed with media_unavailable) when Gemini can read its URL.
 */
export async function produceTranscript(videoId: number): Promise<void> {
  let video = await findVideo(videoId);
  if (!video) return log.info({ videoId }, 'video.transcript: video no longer exists');
  if (video.stage === 'failed' && video.errorCode === 'media_unavailable' && canTranscribeWithoutMedia(video)) {
    await moveStage(video.id, 'failed', 'transcript', { progress: 0.2 });
    video = (await findVideo(video.id))!;
  }
  const next = () => sendNext('video.transcript', 'video.windows', { videoId: String(videoId) });
  if (video.stage === 'windows') return void (await next());
  if (video.stage !== 'transcript') return log.info({ videoId, stage: video.stage }, 'video.transcript: nothing to do');
  await transcribeVideo(video);
  if (await moveStage(video.id, 'transcript', 'windows', { progress: 0.3 })) await next();
}
