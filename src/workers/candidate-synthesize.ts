import { synthesizeWindowCandidate } from '@/src/server/candidates/pipeline/synthesize-window';
import { failWindowStep } from '@/src/server/windows';
import { defineWorker } from './define';

/** Pass 2 + PPL + score for one window, then the candidate saved (src/server/candidates/pipeline/synthesize-window.ts). */
export default defineWorker({
  queue: 'candidate.synthesize',
  run: ({ windowId }) => synthesizeWindowCandidate(Number(windowId)),
  onGiveUp: ({ windowId }, err) => failWindowStep(Number(windowId), 'synthesize', 'Candidate synthesis', err),
});
