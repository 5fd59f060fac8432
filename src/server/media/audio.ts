import fs from 'node:fs/promises';
import path from 'node:path';
import { runFfmpeg } from './run-ffmpeg';

/**
 * Extracts the audio track as 16 kHz mono PCM16 WAV (what Whisper expects). Written to a temporary name and renamed,
 * so a crash never leaves a truncated file behind under the final name.
 */
export async function extractSpeechWav(sourcePath: string, outPath: string): Promise<string> {
  await fs.mkdir(path.dirname(outPath), { recursive: true });
  const tmp = `${outPath}.part.wav`;
  await runFfmpeg(['-i', sourcePath, '-vn', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', tmp]);
  await fs.rename(tmp, outPath);
  return outPath;
}

/** Compressed mono speech (Ogg/Opus, 24 kb/s) for sending audio inline to an LLM: ~180 KB per minute. */
export async function extractSpeechOpus(sourcePath: string, outPath: string): Promise<string> {
  await fs.mkdir(path.dirname(outPath), { recursive: true });
  const tmp = `${outPath}.part.ogg`;
  await runFfmpeg(['-i', sourcePath, '-vn', '-ac', '1', '-ar', '16000', '-c:a', 'libopus', '-b:a', '24k', tmp]);
  await fs.rename(tmp, outPath);
  return outPath;
}
