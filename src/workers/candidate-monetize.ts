import { eq } from 'drizzle-orm';
import { syncVideoStage } from '@/src/server/candidates/pipeline/video-progress';
import { getDb, schema } from '@/src/server/db';
import { errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { monetizeCandidate } from '@/src/server/monetization';
import { enqueue } from '@/src/server/queue';
import { defineWorker } from './define';

/** Coupang search + deep link for one candidate (PRODUCT.md step 10) → candidate.score. */
export default defineWorker({
  queue: 'candidate.monetize',
  async run({ candidateId }) {
    const result = await monetizeCandidate(Number(candidateId));
    log.info({ candidateId, ...result }, 'candidate monetization');
    if (result.status === 'gone') return;
    if (result.status === 'postponed') await enqueue('candidate.monetize', { candidateId }, { startAfter: result.retryAt });
    await enqueue('candidate.score', { candidateId });
  },
  async onGiveUp({ candidateId }, err) {
    // The candidate stays reviewable; the operator can search again on demand or attach a link by hand.
    const { candidates } = schema;
    const [c] = await getDb().update(candidates).set({ coupangSearchStatus: 'failed' }).where(eq(candidates.id, Number(candidateId))).returning({ videoId: candidates.videoId });
    log.warn({ candidateId, err: errorMessage(err) }, 'coupang search failed; candidate kept for review');
    if (c) {
      await enqueue('candidate.score', { candidateId });
      await syncVideoStage(c.videoId);
    }
  },
});
