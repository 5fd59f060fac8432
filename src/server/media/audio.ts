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
  try {
    await runFfmpeg(['-i', sourcePath, '-vn', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', tmp], { what: 'the speech audio (audio.wav)' });
    await fs.rename(tmp, outPath);
  } catch (err) {
    await fs.rm(tmp, { force: true }); // a failed run (a full disk) must not leave half a file behind
    throw err;
  }
  return outPath;
}

const OPUS_SPEECH = ['-vn', '-ac', '1', '-ar', '16000', '-c:a', 'libopus', '-b:a', '24k'];

export type AudioPiece = { path: string; start: number; end: number };

/**
 * Compressed mono speech (Ogg/Opus, 24 kb/s, ~180 KB per minute) for sending audio inline to an LLM, cut into pieces
 * of `pieceSec` so a long video fits the inline request size and each answer fits the output limit. Each piece runs
 * `overlapSec` into the next, so a sentence cut at a boundary is heard whole in one of them. Pieces already on disk
 * (a retried job) are reused; each is written under a temporary name and renamed.
 */
export async function extractSpeechOpusPieces(
  sourcePath: string,
  outDir: string,
  durationSec: number,
  pieceSec: number,
  overlapSec = 10,
): Promise<AudioPiece[]> {
  await fs.mkdir(outDir, { recursive: true });
  const pieces: AudioPiece[] = [];
  for (let i = 0, start = 0; start < durationSec; i++, start += pieceSec) {
    const end = Math.min(durationSec, start + pieceSec + overlapSec);
    const out = path.join(outDir, `speech-${pieceSec}s-${String(i).padStart(3, '0')}.ogg`);
    const present = await fs.stat(out).then((st) => st.size > 0, () => false);
    if (!present) {
      const tmp = `${out}.part.ogg`;
      try {
        await runFfmpeg(['-ss', start.toFixed(3), '-t', (end - start).toFixed(3), '-i', sourcePath, ...OPUS_SPEECH, tmp], { what: `speech piece ${i + 1} for transcription` });
        await fs.rename(tmp, out);
      } catch (err) {
        await fs.rm(tmp, { force: true }); // a failed run (a full disk) must not leave half a file behind
        throw err;
      }
    }
    pieces.push({ path: out, start, end });
  }
  return pieces;
}
