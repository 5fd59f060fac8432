/**
 * Routing after analysis (PRODUCT.md step 12), first match wins:
 * PPL at or above the high threshold → high_ppl_risk; no Coupang match → filtered_no_coupang (null = not searched or
 * not configured, which does not filter); score below the threshold → low_score_filtered; otherwise needs_review.
 * Nothing is approved automatically and every route stays reviewable.
 */
export type CandidateRoute = 'high_ppl_risk' | 'filtered_no_coupang' | 'low_score_filtered' | 'needs_review';

export type RouteInput = {
  pplProbability: number;
  pplHigh: number;
  hasCoupangMatch: boolean | null;
  total: number;
  scoreThreshold: number;
};

export function routeCandidate(input: RouteInput): CandidateRoute {
  if (input.pplProbability >= input.pplHigh) return 'high_ppl_risk';
  if (input.hasCoupangMatch === false) return 'filtered_no_coupang';
  if (input.total < input.scoreThreshold) return 'low_score_filtered';
  return 'needs_review';
}
