import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { getConfig } from '@/src/server/config';

/**
 * ffmpeg/ffprobe/yt-dlp locations: the configured path, else the PATH, else (ffmpeg/ffprobe only) the binaries
 * shipped in npm packages, so a fresh machine needs nothing more.
 */
function onPath(name: string): string | undefined {
  const res = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const found = res.stdout.trim();
  return res.status === 0 && found ? found : undefined;
}

function npmBinary(pkg: string, file: string): string | undefined {
  const p = path.join(/* turbopackIgnore: true */ process.cwd(), 'node_modules', pkg, file);
  return fs.existsSync(p) ? p : undefined;
}

const g = globalThis as unknown as { __influenceBinaries?: Record<string, string | undefined> };

function cached(name: string, find: () => string | undefined): string | undefined {
  g.__influenceBinaries ??= {};
  if (!(name in g.__influenceBinaries)) g.__influenceBinaries[name] = find();
  return g.__influenceBinaries[name];
}

export function ffmpegPath(): string {
  const found = cached('ffmpeg', () => getConfig().FFMPEG_PATH ?? onPath('ffmpeg') ?? npmBinary('@ffmpeg-installer/linux-x64', 'ffmpeg'));
  if (!found) throw new Error('ffmpeg not found: set FFMPEG_PATH or install ffmpeg.');
  return found;
}

export function ffprobePath(): string {
  const found = cached('ffprobe', () => getConfig().FFPROBE_PATH ?? onPath('ffprobe') ?? npmBinary('@ffprobe-installer/linux-x64', 'ffprobe'));
  if (!found) throw new Error('ffprobe not found: set FFPROBE_PATH or install ffmpeg.');
  return found;
}

/** yt-dlp is optional: undefined when neither YTDLP_PATH nor the PATH has it. */
export function ytdlpPath(): string | undefined {
  return cached('yt-dlp', () => getConfig().YTDLP_PATH ?? onPath('yt-dlp'));
}
