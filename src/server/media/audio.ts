import fs from 'node:fs/promises';
import path from 'node:path';
import { diskFullError, isDiskFull, noRoomLeft } from './disk-full';
import { runFfmpeg } from './run-ffmpeg';

/**
 * Runs ffmpeg with `args` writing `tmp`, checks what it wrote, then renames it to `out`; on any failure the temp file
 * goes, so nothing half-written stays under either name. A full disk is the disk-full error naming `what` (no server
 * path; retryable), whether ffmpeg reports it, Node does (ENOSPC making the folder or renaming), or it only shows in the
 * result: ffmpeg 5.1 exits 0 when it could not write its trailer or close the file, leaving it empty or cut short, so an
 * output is only kept when there was room for it. Such a file is never passed on (to Gemini, to Whisper).
 */
async function ffmpegToFile(args: string[], tmp: string, out: string, what: string): Promise<void> {
  try {
    await fs.mkdir(path.dirname(out), { recursive: true });
    await runFfmpeg([...args, tmp], { what });
    const size = await fs.stat(tmp).then((st) => st.size, () => 0);
    if (await noRoomLeft(path.dirname(tmp))) throw diskFullError(what);
    if (size === 0) throw new Error(`ffmpeg wrote nothing for ${what}`);
    await fs.rename(tmp, out);
  } catch (err) {
    await fs.rm(tmp, { force: true }); // a failed run (a full disk) must not leave half a file behind
    if (isDiskFull(err)) throw diskFullError(what); // Node's ENOSPC names the server's path: say what it was instead
    throw err;
  }
}

/**
 * Extracts the audio track as 16 kHz mono PCM16 WAV (what Whisper expects). Written to a temporary name and renamed,
 * so a crash never leaves a truncated file behind under the final name.
 */
export async function extractSpeechWav(sourcePath: string, outPath: string): Promise<string> {
  await ffmpegToFile(['-i', sourcePath, '-vn', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le'], `${outPath}.part.wav`, outPath, 'the speech audio (audio.wav)');
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
  const pieces: AudioPiece[] = [];
  for (let i = 0, start = 0; start < durationSec; i++, start += pieceSec) {
    const end = Math.min(durationSec, start + pieceSec + overlapSec);
    const out = path.join(outDir, `speech-${pieceSec}s-${String(i).padStart(3, '0')}.ogg`);
    const present = await fs.stat(out).then((st) => st.size > 0, () => false);
    if (!present) {
      await ffmpegToFile(['-ss', start.toFixed(3), '-t', (end - start).toFixed(3), '-i', sourcePath, ...OPUS_SPEECH], `${out}.part.ogg`, out, `speech piece ${i + 1} for transcription`);
    }
    pieces.push({ path: out, start, end });
  }
  return pieces;
}
