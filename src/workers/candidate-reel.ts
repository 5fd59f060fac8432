import { failReel, renderReelStep } from '@/src/server/reels';
import { defineWorker } from './define';

/** The vertical Reel draft of an approved candidate (issue 16): one ffmpeg render, skipped when the draft is current. */
export default defineWorker({
  queue: 'candidate.reel',
  run: ({ candidateId }) => renderReelStep(Number(candidateId)),
  onGiveUp: ({ candidateId }, err) => failReel(Number(candidateId), err),
});
