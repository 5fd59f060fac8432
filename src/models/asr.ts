import fs from 'node:fs/promises';
import { fileReady, whisperDir, whisperDtype, whisperStatus } from '@/src/models/registry';
import { loadOnce } from '@/src/models/runtime';
import { parseWav, WavFormatError } from '@/src/models/wav';
import { getConfig } from '@/src/server/config';
import { DomainError } from '@/src/server/errors';

/**
 * Whisper speech recognition through @huggingface/transformers 4 (onnxruntime-node underneath), offline only:
 * remote models are disabled and models are read from MODELS_DIR/<WHISPER_MODEL>. The pipeline is loaded once per
 * process (model + device) and shared. Input is a 16 kHz WAV (ffmpeg `-ar 16000 -ac 1`), read here (PCM16 or
 * float32, downmixed to mono) because transformers.js has no audio decoder in Node.
 */
export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
}

export interface Transcript {
  language: string;
  segments: TranscriptSegment[];
}

export interface WhisperTarget {
  modelsDir?: string;
  model?: string;
}

const SAMPLE_RATE = 16000;

/** True when all seven files the pipeline needs are present (a folder without tokenizer.json loads, then fails). */
export function whisperAvailable(target: WhisperTarget = {}): boolean {
  return whisperStatus(target.modelsDir ?? getConfig().MODELS_DIR, target.model ?? getConfig().WHISPER_MODEL).present;
}

/** The raw pipeline output shape with `return_timestamps: true`. */
export interface AsrPipelineOutput {
  text: string;
  chunks?: { timestamp: [number | null, number | null] | number[]; text: string }[];
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Maps pipeline output to segments: trims text, drops empty chunks, fills a missing end (Whisper leaves the last
 * chunk open when speech runs to the end of the audio) with the next start or the audio duration, keeps times
 * inside [0, duration] and non-decreasing. Without chunks the whole text becomes one segment.
 */
export function chunksToSegments(output: AsrPipelineOutput, durationS: number): TranscriptSegment[] {
  const chunks = output.chunks ?? (output.text.trim() ? [{ timestamp: [0, durationS], text: output.text }] : []);
  const clamp = (v: number) => Math.min(Math.max(v, 0), durationS);
  const segments: TranscriptSegment[] = [];
  chunks.forEach((c, i) => {
    const text = c.text.replace(/\s+/g, ' ').trim();
    if (!text) return;
    const prevEnd = segments.at(-1)?.end ?? 0;
    const start = clamp(Math.max(c.timestamp[0] ?? prevEnd, prevEnd));
    const nextStart = chunks.slice(i + 1).find((n) => n.timestamp[0] != null)?.timestamp[0];
    const end = clamp(Math.max(c.timestamp[1] ?? nextStart ?? durationS, start));
    segments.push({ start: round2(start), end: round2(end), text });
  });
  return segments;
}

type AsrPipeline = (audio: Float32Array, opts: Record<string, unknown>) => Promise<AsrPipelineOutput>;

function loadPipeline(modelsDir: string, model: string): Promise<AsrPipeline> {
  return loadOnce('whisper', whisperDir(modelsDir, model), async (device) => {
    const { env, pipeline } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = modelsDir.endsWith('/') ? modelsDir : `${modelsDir}/`;
    const p = await pipeline('automatic-speech-recognition', model, {
      device: device === 'cuda' ? 'cuda' : 'cpu',
      dtype: whisperDtype(device),
    });
    return p as unknown as AsrPipeline;
  });
}

/** Transcribes a 16 kHz WAV in Korean with segment timestamps (30 s windows). */
export async function transcribeAudio(wavPath: string, target: WhisperTarget = {}): Promise<Transcript> {
  const modelsDir = target.modelsDir ?? getConfig().MODELS_DIR;
  const model = target.model ?? getConfig().WHISPER_MODEL;
  const status = whisperStatus(modelsDir, model);
  if (!status.present) {
    throw new DomainError(
      'not_configured',
      `Whisper model ${model} is incomplete in ${status.path}: missing ${status.missing.join(', ')} (run npm run models:fetch)`,
    );
  }
  if (!fileReady(wavPath)) throw new DomainError('bad_request', `audio file not found or empty: ${wavPath}`);
  let audio;
  try {
    audio = parseWav(await fs.readFile(wavPath));
  } catch (err) {
    if (err instanceof WavFormatError) throw new DomainError('bad_request', `${wavPath}: ${err.message}`);
    throw err;
  }
  if (audio.sampleRate !== SAMPLE_RATE) {
    throw new DomainError('bad_request', `${wavPath}: expected 16000 Hz audio, got ${audio.sampleRate} Hz (extract with -ar 16000 -ac 1)`);
  }
  if (audio.samples.length === 0) return { language: 'ko', segments: [] };
  const asr = await loadPipeline(modelsDir, model);
  const output = await asr(audio.samples, {
    return_timestamps: true,
    chunk_length_s: 30,
    language: 'korean',
    task: 'transcribe',
  });
  // The language is forced to Korean (transformers.js does not report a detected language).
  return { language: 'ko', segments: chunksToSegments(output, audio.durationS) };
}
