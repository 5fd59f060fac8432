import { scoreCandidateStep } from '@/src/server/candidates/pipeline/score-and-route';
import { defineWorker } from './define';

/** Score with evidence and routing (PRODUCT.md steps 11–12), the last step of a window's chain. */
export default defineWorker({
  queue: 'candidate.score',
  run: ({ candidateId }) => scoreCandidateStep(Number(candidateId)),
});
