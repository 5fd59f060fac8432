import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** Result of one yt-dlp run: the merged media file, Korean captions when YouTube had any, and the metadata it printed. */
export type YtdlpDownload = {
  mediaFile: string;
  captionsFile: string | null;
  info: YtdlpInfo;
};

const ytdlpInfo = z
  .object({
    id: z.string(),
    title: z.string().optional(),
    description: z.string().nullish(),
    duration: z.number().nullish(),
    ext: z.string().optional(),
  })
  .passthrough();
export type YtdlpInfo = z.infer<typeof ytdlpInfo>;

/** yt-dlp ran and said the video cannot be had (unavailable, private, blocked, …): retrying does not help. */
export class YtdlpRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'YtdlpRefused';
  }
}

/** Video ≤ 720p merged with the best audio, or the best single file ≤ 720p. */
export const YTDLP_FORMAT = 'bv*[height<=720]+ba/b[height<=720]';

export function ytdlpArgs(url: string, outDir: string): string[] {
  return [
    '--no-playlist',
    '--no-progress',
    '--no-warnings',
    '--ignore-config',
    '--no-cache-dir',
    '-f',
    YTDLP_FORMAT,
    '--merge-output-format',
    'mp4',
    '--write-auto-subs',
    '--write-subs',
    '--sub-langs',
    'ko',
    '--sub-format',
    'vtt',
    '-o',
    path.join(outDir, 'source.%(ext)s'),
    '--print-json',
    '--',
    url,
  ];
}

/** The last "ERROR: …" line of yt-dlp's stderr, without the prefix; the operator reads it on the video. */
export function ytdlpErrorReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const error = [...lines].reverse().find((l) => l.startsWith('ERROR:'));
  return (error ?? lines.at(-1) ?? 'yt-dlp failed without a message').replace(/^ERROR:\s*/, '').slice(0, 500);
}

/**
 * Runs yt-dlp into `outDir` (which must be empty or absent). Throws YtdlpRefused when yt-dlp exits with an error,
 * a plain Error when it could not be started. The signal kills the process (timeout or shutdown).
 */
export async function runYtdlp(binary: string, url: string, outDir: string, signal: AbortSignal): Promise<YtdlpDownload> {
  await fs.mkdir(outDir, { recursive: true });
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(binary, ytdlpArgs(url, outDir), { stdio: ['ignore', 'pipe', 'pipe'], signal, killSignal: 'SIGKILL' });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out = (out + d).slice(-1_000_000)));
    child.stderr.on('data', (d) => (err = (err + d).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
  });
  if (code !== 0) throw new YtdlpRefused(ytdlpErrorReason(stderr));

  const infoLine = stdout.split('\n').reverse().find((l) => l.trim().startsWith('{'));
  let info: YtdlpInfo = { id: '' };
  if (infoLine) {
    const parsed = ytdlpInfo.safeParse(JSON.parse(infoLine));
    if (parsed.success) info = parsed.data;
  }
  const files = await fs.readdir(outDir);
  const media = files.find((f) => /^source\.(mp4|mkv|webm|mov|m4a)$/.test(f));
  if (!media) throw new YtdlpRefused(`yt-dlp finished but wrote no media file (found: ${files.join(', ') || 'nothing'})`);
  const captions = files.find((f) => /^source\.ko(-[A-Za-z]+)?\.(vtt|srt)$/.test(f)) ?? null;
  return { mediaFile: path.join(/* turbopackIgnore: true */ outDir, media), captionsFile: captions ? path.join(/* turbopackIgnore: true */ outDir, captions) : null, info };
}
