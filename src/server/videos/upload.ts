import crypto from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { eq } from 'drizzle-orm';
import { getConfig } from '@/src/server/config';
import { getDb, schema, transaction } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { assertSafeText } from '@/src/server/safe-text';
import { diskFullError, isDiskFull } from '@/src/server/media/disk-full';
import { mediaPaths, toStoredPath, uploadTmpDir, videoDir } from '@/src/server/media/paths';
import { probeMedia } from '@/src/server/media/probe';
import { startJob } from '@/src/server/queue';
import { detectCaptionFormat, parseCaptions } from '@/src/server/transcripts/captions';
import type { VideoDto } from './schemas';
import { toVideoDto } from './dto';
import { readMultipart } from './multipart';
import { assertUploadAnalyzable } from './intake';

const { videos } = schema;

export type UploadInput = {
  /** The received file, already on disk (a temp file this function removes). */
  file: { path: string; name: string; size: number };
  captions?: { name: string; text: string } | null;
  title?: string | null;
  description?: string | null;
};

const MEDIA_EXTENSIONS = ['mp4', 'mov', 'webm', 'mkv', 'm4v', 'avi', 'm4a', 'mp3', 'wav'];

function maxBytes(): number {
  return getConfig().MAX_UPLOAD_MB * 1024 * 1024;
}

/** Where uploads are received before they are checked; same file system as the media folder (rename, not copy). */
async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Dedup key: the file together with its captions (the same video with other captions is another analysis). */
export function uploadHash(fileSha256: string, captionsText: string | null): string {
  const captions = captionsText === null ? '' : crypto.createHash('sha256').update(captionsText, 'utf8').digest('hex');
  return crypto.createHash('sha256').update(`${fileSha256}:${captions}`).digest('hex');
}

function checkCaptions(c: { name: string; text: string }): 'vtt' | 'srt' {
  const segments = parseCaptions(c.text, c.name); // bad → 400 naming `captions`
  const format = detectCaptionFormat(c.text) ?? (/\.srt$/i.test(c.name) ? 'srt' : /\.vtt$/i.test(c.name) ? 'vtt' : null);
  if (format !== 'vtt' && format !== 'srt') {
    throw new DomainError('bad_request', 'captions: upload a WebVTT (.vtt) or SubRip (.srt) file', 'captions');
  }
  if (segments.length === 0) throw new DomainError('bad_request', 'captions: no caption text found', 'captions');
  return format;
}

/**
 * Registers an uploaded video: the file is checked with ffprobe and the captions parsed BEFORE anything is kept, so a
 * bad upload leaves no row and no file; so does a video without captions on a server with no speech recognition
 * (422 cannot_analyze). The same file + captions uploaded again returns the existing video
 * (`created: false`). The new video starts at `queued` with its media already in place.
 */
export async function submitUpload(input: UploadInput): Promise<{ video: VideoDto; created: boolean }> {
  const tmpFile = input.file.path;
  try {
    // The names and texts end up in the database (captions after parsing): refuse what Postgres cannot store.
    assertSafeText(input.file.name, 'file');
    assertSafeText(input.title, 'title');
    assertSafeText(input.description, 'description');
    assertSafeText(input.captions?.name, 'captions');
    assertSafeText(input.captions?.text, 'captions');
    if (input.file.size === 0) throw new DomainError('bad_request', 'file: the uploaded file is empty', 'file');
    if (input.file.size > maxBytes()) {
      throw new DomainError('payload_too_large', `file: larger than the ${getConfig().MAX_UPLOAD_MB} MB allowed (MAX_UPLOAD_MB)`, 'file');
    }
    const captionsFormat = input.captions ? checkCaptions(input.captions) : null;
    const label = `"${input.file.name || 'the uploaded file'}"`;
    const probe = await probeMedia(tmpFile, label);
    // the file is a video: without captions, only speech recognition can make its transcript
    assertUploadAnalyzable(!!input.captions);
    const hash = uploadHash(await sha256File(tmpFile), input.captions?.text ?? null);

    const [existing] = await getDb().select().from(videos).where(eq(videos.uploadHash, hash));
    if (existing) return { video: toVideoDto(existing), created: false };

    const ext = path.extname(input.file.name).slice(1).toLowerCase();
    const stem = path.basename(input.file.name, path.extname(input.file.name)).trim();
    const title = (input.title?.trim() || stem || 'upload').slice(0, 500);
    let createdDir: string | null = null;
    try {
      const row = await transaction(async (tx, client) => {
        const [inserted] = await tx
          .insert(videos)
          .values({
            sourceKind: 'upload',
            uploadHash: hash,
            title,
            description: (input.description ?? '').trim().slice(0, 10_000),
            durationSeconds: probe.durationSeconds,
          })
          .onConflictDoNothing()
          .returning();
        if (!inserted) return null; // the same upload won a race
        createdDir = videoDir(inserted.id);
        await fs.mkdir(createdDir, { recursive: true });
        const mediaFile = mediaPaths.source(inserted.id, MEDIA_EXTENSIONS.includes(ext) ? ext : 'mp4');
        await fs.rename(tmpFile, mediaFile);
        let captionsFile: string | null = null;
        if (input.captions && captionsFormat) {
          captionsFile = mediaPaths.captions(inserted.id, captionsFormat);
          await fs.writeFile(captionsFile, input.captions.text, 'utf8');
        }
        const [row] = await tx
          .update(videos)
          .set({ mediaPath: toStoredPath(mediaFile), captionsPath: captionsFile ? toStoredPath(captionsFile) : null })
          .where(eq(videos.id, inserted.id))
          .returning();
        await startJob('video.ingest', { videoId: String(inserted.id) }, { client });
        return row;
      });
      if (row) {
        log.info({ videoId: row.id, bytes: input.file.size, duration: probe.durationSeconds, captions: !!row.captionsPath }, 'video uploaded');
        return { video: toVideoDto(row), created: true };
      }
    } catch (err) {
      if (createdDir) await fs.rm(createdDir, { recursive: true, force: true });
      throw err;
    }
    const [winner] = await getDb().select().from(videos).where(eq(videos.uploadHash, hash));
    if (!winner) throw new DomainError('conflict', 'The upload could not be registered; try again.');
    return { video: toVideoDto(winner), created: false };
  } finally {
    await fs.rm(tmpFile, { force: true });
  }
}

/**
 * Reads a multipart upload (`file`, optional `captions`, `title`, `description`) from a request, streaming the file to a
 * temp file under DATA_DIR (the upload is never held in memory; the size cap is checked on the declared length first
 * and on the bytes received), then submitUpload. Nothing is kept on failure.
 */
export async function receiveUpload(req: Request): Promise<{ video: VideoDto; created: boolean }> {
  const cap = maxBytes();
  const tooLarge = `file: larger than the ${getConfig().MAX_UPLOAD_MB} MB allowed (MAX_UPLOAD_MB)`;
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > cap + 21 * 1024 * 1024) throw new DomainError('payload_too_large', tooLarge, 'file');
  const contentType = req.headers.get('content-type');
  if (!/^multipart\/form-data/i.test(contentType ?? '')) {
    throw new DomainError('bad_request', 'Send multipart/form-data with a `file` field (and optional captions, title, description).', 'file');
  }
  const id = crypto.randomUUID();
  const tmp = path.join(uploadTmpDir(), `${id}.part`);
  const captionsTmp = path.join(uploadTmpDir(), `${id}.captions`);
  try {
    await fs.mkdir(uploadTmpDir(), { recursive: true });
    const form = await readMultipart(req.body, contentType, {
      files: {
        file: { path: tmp, maxBytes: cap, tooLarge },
        captions: { path: captionsTmp, maxBytes: 20 * 1024 * 1024, tooLarge: 'captions: larger than 20 MB' },
      },
      texts: {
        title: { maxBytes: 2000, tooLarge: 'title: at most 500 characters' },
        description: { maxBytes: 40_000, tooLarge: 'description: at most 10000 characters' },
      },
    });
    const file = form.files.file;
    if (!file) throw new DomainError('bad_request', 'file: a media file is required', 'file');
    let captions: { name: string; text: string } | null = null;
    const c = form.files.captions;
    if (c && c.size > 0) {
      if (!/\.(vtt|srt)$/i.test(c.name)) throw new DomainError('bad_request', `captions: "${c.name}" must be a .vtt or .srt file`, 'captions');
      captions = { name: c.name, text: await fs.readFile(c.path, 'utf8') };
    }
    const title = form.texts.title ?? null;
    if (title && title.length > 500) throw new DomainError('bad_request', 'title: at most 500 characters', 'title');
    return await submitUpload({ file: { path: tmp, name: file.name || 'upload', size: file.size }, captions, title, description: form.texts.description ?? null });
  } catch (err) {
    // ENOSPC carries the server's path in its message: a 507 that says what happened instead (nothing is kept: the
    // temp files go below, a half-made video folder and its row in submitUpload)
    if (isDiskFull(err)) throw diskFullError('the upload');
    throw err;
  } finally {
    await fs.rm(tmp, { force: true });
    await fs.rm(captionsTmp, { force: true });
  }
}
