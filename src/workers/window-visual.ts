import { errorMessage } from '@/src/server/errors';
import { isDiskFull } from '@/src/server/media/disk-full';
import { collectWindowEvidence, failWindowVisual } from '@/src/server/windows/visual-step';
import { defineWorker } from './define';

/** Visual evidence of one window (PRODUCT.md step 7) → candidate.synthesize (src/server/windows/visual-step.ts). */
export default defineWorker({
  queue: 'window.visual',
  run: ({ windowId }, { isFinalAttempt }) => collectWindowEvidence(Number(windowId), { finalAttempt: isFinalAttempt }),
  onGiveUp: ({ windowId }, err) => failWindowVisual(Number(windowId), errorMessage(err), isDiskFull(err) ? 'internal' : undefined),
});
