import { giveUpCoupangSearch, monetizeCandidateStep } from '@/src/server/monetization';
import { defineWorker } from './define';

/** Coupang search + deep link for one candidate (PRODUCT.md step 10) → candidate.score (src/server/monetization). */
export default defineWorker({
  queue: 'candidate.monetize',
  run: ({ candidateId }) => monetizeCandidateStep(Number(candidateId)),
  onGiveUp: ({ candidateId }, err) => giveUpCoupangSearch(Number(candidateId), err),
});
