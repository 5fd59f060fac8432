import assert from 'node:assert/strict';
import { test } from 'node:test';
import { routeCandidate } from '@/src/server/scoring';

const base = { pplProbability: 0.1, pplHigh: 0.8, hasCoupangMatch: true, total: 70, scoreThreshold: 50 };

test('routing order: PPL first, then Coupang, then score', () => {
  assert.equal(routeCandidate(base), 'needs_review');
  assert.equal(routeCandidate({ ...base, pplProbability: 0.9, hasCoupangMatch: false, total: 10 }), 'high_ppl_risk');
  assert.equal(routeCandidate({ ...base, pplProbability: 0.8 }), 'high_ppl_risk');
  assert.equal(routeCandidate({ ...base, pplProbability: 0.79, hasCoupangMatch: false, total: 10 }), 'filtered_no_coupang');
  assert.equal(routeCandidate({ ...base, total: 49 }), 'low_score_filtered');
  assert.equal(routeCandidate({ ...base, total: 50 }), 'needs_review');
});

test('null Coupang (not searched / not configured) does not filter', () => {
  assert.equal(routeCandidate({ ...base, hasCoupangMatch: null }), 'needs_review');
  assert.equal(routeCandidate({ ...base, hasCoupangMatch: null, total: 10 }), 'low_score_filtered');
});
