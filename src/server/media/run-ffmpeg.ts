import { spawn } from 'node:child_process';
import { DomainError } from '@/src/server/errors';
import { ffmpegPath } from './binaries';
import { diskFullError, isDiskFullText } from './disk-full';

/**
 * Runs ffmpeg with the given arguments; rejects with the tail of stderr when it exits non-zero, or with the disk-full
 * error (naming `what` it was writing) when it ran out of space, whatever its exit code.
 */
export function runFfmpeg(args: string[], opts: { timeoutMs?: number; what?: string } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Checked before the exit code: ffmpeg (5.1 at least) exits 0 when writing the trailer or closing its output
      // fails ("Error writing trailer of …: No space left on device"), leaving an empty or cut-short file.
      if (isDiskFullText(stderr)) reject(diskFullError(opts.what ?? "ffmpeg's output"));
      else if (code === 0) resolve();
      else reject(ffmpegFailed(code, signal, stderr));
    });
  });
}

/**
 * ffmpeg's non-zero exit as the error a video shows: the last lines of its stderr, with absolute paths cut to their
 * file name (the error reaches the console and the API; the server's folders are nobody's business there).
 */
export function ffmpegFailed(code: number | null, signal: NodeJS.Signals | null, stderr: string): DomainError {
  const tail = stderr.trim().split('\n').slice(-3).join(' | ');
  return new DomainError('bad_request', `ffmpeg failed (${signal ?? `exit ${code}`}): ${withoutDirectories(tail)}`);
}

/** "/srv/data/media/12/video.mp4: Invalid data" → "video.mp4: Invalid data". */
export function withoutDirectories(text: string): string {
  return text.replace(/(?:[A-Za-z]:)?(?:[\\/][^\s\\/:'"|]+)+[\\/]([^\s\\/:'"|]+)/g, '$1');
}
