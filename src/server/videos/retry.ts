import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { schema, transaction, type Executor, type SqlClient } from '@/src/server/db';
import type { VideoStage } from '@/src/server/db/schema';
import { DomainError, notFound } from '@/src/server/errors';
import { now } from '@/src/server/clock';
import { log } from '@/src/server/logger';
import { startJob } from '@/src/server/queue';
import type { VideoDto } from './schemas';
import { toVideoDto } from './dto';
import { restartFromTranscript, restoreFailedVideo } from './stage';

const { videos, windows, candidates } = schema;

/**
 * Re-enqueues the jobs that redo a failed stage. Video-level stages have one job; per-window stages re-send the job of
 * every unfinished window (failed windows are reset to that stage); per-candidate stages re-send the candidates' jobs.
 * Returns how many jobs were sent.
 */
async function enqueueStage(videoId: number, stage: VideoStage, tx: Executor, client: SqlClient): Promise<number> {
  const id = String(videoId);
  switch (stage) {
    case 'queued':
      await startJob('video.ingest', { videoId: id }, { client });
      return 1;
    case 'media':
      await startJob('video.media', { videoId: id }, { client });
      return 1;
    case 'transcript':
      await startJob('video.transcript', { videoId: id }, { client });
      return 1;
    case 'windows':
      await startJob('video.windows', { videoId: id }, { client });
      return 1;
    case 'visual':
    case 'synthesize': {
      await tx
        .update(windows)
        .set({ stage, error: null })
        .where(and(eq(windows.videoId, videoId), eq(windows.stage, 'failed')));
      const open = await tx
        .select({ id: windows.id, stage: windows.stage })
        .from(windows)
        .where(and(eq(windows.videoId, videoId), ne(windows.stage, 'done')));
      for (const w of open) {
        if (w.stage === 'visual') await startJob('window.visual', { windowId: String(w.id) }, { client });
        else await startJob('candidate.synthesize', { windowId: String(w.id) }, { client });
      }
      return open.length;
    }
    case 'monetize': {
      const rows = await tx
        .select({ id: candidates.id })
        .from(candidates)
        .where(and(eq(candidates.videoId, videoId), inArray(candidates.coupangSearchStatus, ['pending', 'failed'])));
      for (const c of rows) await startJob('candidate.monetize', { candidateId: String(c.id) }, { client });
      return rows.length;
    }
    case 'score': {
      const rows = await tx.select({ id: candidates.id }).from(candidates).where(eq(candidates.videoId, videoId));
      for (const c of rows) await startJob('candidate.score', { candidateId: String(c.id) }, { client });
      return rows.length;
    }
    default:
      return 0;
  }
}

/**
 * Retries a failed video from the stage that failed: the error is cleared, the stage restored and its job(s) sent, in
 * one transaction. Only a `failed` video can be retried (409 otherwise).
 */
export async function retryVideo(id: string): Promise<VideoDto> {
  if (!/^\d{1,15}$/.test(id)) throw notFound('Video'); // longer: out of bigint range, no such video
  const videoId = Number(id);
  return transaction(async (tx, client) => {
    const [video] = await tx.select().from(videos).where(eq(videos.id, videoId)).for('update');
    if (!video) throw notFound('Video');
    if (video.stage !== 'failed') {
      throw new DomainError('invalid_transition', `Only a failed video can be retried; this one is "${video.stage}".`);
    }
    const stage: VideoStage = video.failedStage && !['failed', 'done', 'skipped'].includes(video.failedStage) ? video.failedStage : 'queued';
    const row = (await restoreFailedVideo(videoId, stage, tx))!;
    const sent = await enqueueStage(videoId, stage, tx, client);
    if (sent === 0 && !['queued', 'media', 'transcript', 'windows'].includes(stage)) {
      // Nothing left to redo in a per-window/per-candidate stage: start the video's analysis over from its transcript.
      await restartFromTranscript(videoId, tx);
      await startJob('video.transcript', { videoId: id }, { client });
      row.stage = 'transcript';
    }
    log.info({ videoId, stage: row.stage, jobs: Math.max(sent, 1) }, 'video retried');
    return toVideoDto(row);
  });
}
