import path from 'node:path';
import { getConfig } from '@/src/server/config';
import { DomainError } from '@/src/server/errors';

/**
 * The only place media paths are made. Everything of a video lives under DATA_DIR/media/<videoId>/:
 *   source.<ext>        the downloaded or uploaded media
 *   captions.<vtt|srt>  captions that came with it
 *   audio.wav           16 kHz mono for speech recognition
 *   speech/             Opus pieces sent to Gemini and their answers, until the transcript is stored
 *   frames/w<window>-<ms>.jpg, crops/w<window>-<ms>.jpg
 *   reels/c<candidate>-v<version>.mp4  the candidate's vertical Reel draft (src/server/reels)
 * Stored paths are relative to MEDIA_DIR, so a restored backup can move.
 */
export function mediaRoot(): string {
  return getConfig().MEDIA_DIR;
}

/** Uploads being received, before they are checked and moved under their video's folder. */
export function uploadTmpDir(): string {
  return path.join(getConfig().DATA_DIR, 'tmp', 'uploads');
}

export function videoDir(videoId: number | string): string {
  return path.join(mediaRoot(), String(videoId));
}

export const mediaPaths = {
  source: (videoId: number | string, ext: string) => path.join(videoDir(videoId), `source.${ext.replace(/^\./, '')}`),
  captions: (videoId: number | string, ext: 'vtt' | 'srt' | 'json3') => path.join(videoDir(videoId), `captions.${ext}`),
  audio: (videoId: number | string) => path.join(videoDir(videoId), 'audio.wav'),
  speech: (videoId: number | string) => path.join(videoDir(videoId), 'speech'),
  frame: (videoId: number | string, windowId: number | string, tSeconds: number) =>
    path.join(videoDir(videoId), 'frames', `w${windowId}-${Math.round(tSeconds * 1000)}.jpg`),
  crop: (videoId: number | string, windowId: number | string, tSeconds: number) =>
    path.join(videoDir(videoId), 'crops', `w${windowId}-${Math.round(tSeconds * 1000)}.jpg`),
  tmp: (videoId: number | string) => path.join(videoDir(videoId), 'tmp'),
  /** A candidate's vertical Reel draft, one file per candidate version (reels/, issue 16). */
  reel: (videoId: number | string, candidateId: number | string, version: number) =>
    path.join(videoDir(videoId), 'reels', `c${candidateId}-v${version}.mp4`),
  reelsDir: (videoId: number | string) => path.join(videoDir(videoId), 'reels'),
};

/** Absolute path → the path stored in the database (relative to MEDIA_DIR). */
export function toStoredPath(absolute: string): string {
  return path.relative(mediaRoot(), absolute);
}

/**
 * A stored (relative) path or a path from a URL → an absolute path inside MEDIA_DIR. Refuses anything that would
 * leave the media folder (../, absolute paths, NUL).
 */
export function resolveMediaPath(stored: string): string {
  if (!stored || stored.includes('\0')) throw new DomainError('bad_request', 'Invalid media path.');
  const root = mediaRoot();
  const abs = path.resolve(root, stored);
  if (abs !== root && !abs.startsWith(root + path.sep)) throw new DomainError('forbidden', 'Path outside the media folder.');
  return abs;
}
