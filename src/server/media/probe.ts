import { execFile } from 'node:child_process';
import { DomainError } from '@/src/server/errors';
import { ffprobePath } from './binaries';

export type MediaProbe = {
  durationSeconds: number;
  formatName: string;
  hasVideo: boolean;
  hasAudio: boolean;
  width: number | null;
  height: number | null;
};

/** Thrown when a file is not playable media; `invalid_media` is what the video row and the API report. */
export class InvalidMediaError extends DomainError {
  readonly mediaCode = 'invalid_media' as const;
  constructor(message: string, field = 'file') {
    super('bad_request', message, field);
    this.name = 'InvalidMediaError';
  }
}

type FfprobeOutput = {
  format?: { duration?: string; format_name?: string };
  streams?: { codec_type?: string; width?: number; height?: number; duration?: string }[];
};

function runFfprobe(args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string; failed: boolean }> {
  return new Promise((resolve) => {
    execFile(
      ffprobePath(),
      ['-v', 'error', ...args],
      { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => resolve({ stdout: String(stdout), stderr: String(stderr), failed: !!err }),
    );
  });
}

/**
 * Reads duration and streams with ffprobe. Anything that is not media with a positive duration and at least one
 * video or audio stream is refused with InvalidMediaError (a text file renamed .mp4, a truncated download, …).
 * `label` names the file in the message (e.g. the uploaded file name).
 */
export async function probeMedia(file: string, label = 'the file', opts: { timeoutMs?: number; field?: string } = {}): Promise<MediaProbe> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const { stdout, stderr, failed } = await runFfprobe(['-print_format', 'json', '-show_format', '-show_streams', file], timeoutMs);
  let parsed: FfprobeOutput = {};
  try {
    parsed = JSON.parse(stdout || '{}') as FfprobeOutput;
  } catch {
    /* handled below */
  }
  const reason = stderr.trim().split('\n').pop()?.replace(file, label) ?? '';
  if (failed || !parsed.format) {
    throw new InvalidMediaError(
      `${label} is not a playable video or audio file (ffprobe: ${reason || 'unreadable'}). Upload an mp4, mov, webm, mkv or similar media file.`,
      opts.field,
    );
  }
  const formatName = parsed.format.format_name ?? '';
  if (/(^|,)(image2|[a-z0-9]+_pipe|gif|tty|srt|webvtt|ass|lrc)(,|$)/.test(formatName)) {
    throw new InvalidMediaError(`${label} is ${formatName === 'tty' ? 'a text file' : `an image or subtitle file (${formatName})`}, not a video.`, opts.field);
  }
  const streams = parsed.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  const hasAudio = streams.some((s) => s.codec_type === 'audio');
  const duration = Number(parsed.format.duration ?? video?.duration ?? NaN);
  if (!video && !hasAudio) {
    throw new InvalidMediaError(`${label} has no video or audio stream; it is not a media file.`, opts.field);
  }
  if (!Number.isFinite(duration) || duration <= 0) {
    throw new InvalidMediaError(`${label} has no readable duration; the file may be truncated or not a video.`, opts.field);
  }
  // The header can promise more than the file holds (an upload cut off, a partial download: the mp4 index comes first).
  // Reading a few packets from the last seconds costs one seek; a file that ends early has none there.
  const tail = await runFfprobe(['-read_intervals', `${Math.max(0, duration - 3).toFixed(3)}%+#5`, '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file], timeoutMs);
  if (!tail.failed && tail.stdout.trim() === '') {
    throw new InvalidMediaError(`${label} is cut short: it declares ${Math.round(duration)} s but its data ends early (an incomplete upload or download). Upload the whole file again.`, opts.field);
  }
  return {
    durationSeconds: Math.round(duration * 1000) / 1000,
    formatName,
    hasVideo: !!video,
    hasAudio,
    width: video?.width ?? null,
    height: video?.height ?? null,
  };
}
