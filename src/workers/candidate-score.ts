import { syncVideoStage } from '@/src/server/candidates/pipeline/video-progress';
import { log } from '@/src/server/logger';
import { scoreAndRouteCandidate } from '@/src/server/scoring';
import { getDb, schema } from '@/src/server/db';
import { eq } from 'drizzle-orm';
import { defineWorker } from './define';

/** Score with evidence and routing (PRODUCT.md steps 11–12); the last step of a window's chain. */
export default defineWorker({
  queue: 'candidate.score',
  async run({ candidateId }) {
    const [c] = await getDb().select({ videoId: schema.candidates.videoId }).from(schema.candidates).where(eq(schema.candidates.id, Number(candidateId)));
    if (!c) return log.info({ candidateId }, 'candidate.score: candidate no longer exists');
    const r = await scoreAndRouteCandidate(Number(candidateId));
    log.info({ candidateId, ...r }, 'candidate scored and routed');
    await syncVideoStage(c.videoId);
  },
});
