import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { getDb, schema, transaction } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { mediaPaths, toStoredPath, videoDir } from '@/src/server/media/paths';
import { startJob } from '@/src/server/queue';
import { toVideoDto } from './dto';
import { moveStage } from './stage';
import type { VideoDto } from './schemas';

const { videos } = schema;

/** The sample vlog shipped with the app (made by scripts/make-sample-vlog.sh): 36 s, Korean captions, a product card. */
export const SAMPLE_TITLE = '샘플 브이로그: 저녁 스킨케어 루틴';
const SAMPLE_DESCRIPTION = 'influence-item 체험용 합성 영상입니다 (espeak-ng 음성, 자막 포함). 내돈내산 후기 형식의 예시.';

export function sampleFiles(root = process.cwd()) {
  const dir = path.join(/* turbopackIgnore: true */ root, 'public', 'sample');
  return { media: path.join(dir, 'sample-vlog.mp4'), captions: path.join(dir, 'sample-vlog.ko.vtt') };
}

/**
 * "샘플 영상으로 체험하기": registers the shipped sample vlog as an uploaded video with its captions and starts the
 * analysis at the transcript stage (its media is already in place). Needs no key and no model: captions give the
 * transcript, the rule analyzer finds the window, OCR reads the product card. Clicking again returns the same video.
 */
export async function analyzeSampleVideo(): Promise<{ video: VideoDto; created: boolean }> {
  const files = sampleFiles();
  const { media: mediaFile, captions: captionsFile } = files;
  const [media, captions] = await Promise.all([fs.readFile(/* turbopackIgnore: true */ mediaFile), fs.readFile(/* turbopackIgnore: true */ captionsFile, 'utf8')]).catch(() => {
    throw new DomainError('not_found', `The sample video is missing (${files.media}); regenerate it with scripts/make-sample-vlog.sh.`);
  });
  const hash = 'sample:' + crypto.createHash('sha256').update(media).update(captions).digest('hex');
  const [existing] = await getDb().select().from(videos).where(eq(videos.uploadHash, hash));
  if (existing) return { video: toVideoDto(existing), created: false };
  let dir: string | null = null;
  try {
    const row = await transaction(async (tx, client) => {
      const [inserted] = await tx
        .insert(videos)
        .values({ sourceKind: 'upload', uploadHash: hash, title: SAMPLE_TITLE, description: SAMPLE_DESCRIPTION, durationSeconds: 36 })
        .onConflictDoNothing()
        .returning();
      if (!inserted) return null;
      dir = videoDir(inserted.id);
      const source = mediaPaths.source(inserted.id, 'mp4');
      const vtt = mediaPaths.captions(inserted.id, 'vtt');
      await fs.mkdir(path.dirname(source), { recursive: true });
      await fs.writeFile(source, media);
      await fs.writeFile(vtt, captions, 'utf8');
      await tx.update(videos).set({ mediaPath: toStoredPath(source), captionsPath: toStoredPath(vtt) }).where(eq(videos.id, inserted.id));
      // its media is in place already: straight to the transcript
      await moveStage(inserted.id, 'queued', 'transcript', { progress: 0.2 }, tx);
      const [updated] = await tx.select().from(videos).where(eq(videos.id, inserted.id));
      await startJob('video.transcript', { videoId: String(inserted.id) }, { client });
      return updated;
    });
    if (row) {
      log.info({ videoId: row.id }, 'sample video submitted');
      return { video: toVideoDto(row), created: true };
    }
  } catch (err) {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
  const [winner] = await getDb().select().from(videos).where(eq(videos.uploadHash, hash));
  if (!winner) throw new DomainError('conflict', 'The sample video could not be registered; try again.');
  return { video: toVideoDto(winner), created: false };
}
