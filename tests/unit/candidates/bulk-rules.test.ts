import assert from 'node:assert/strict';
import { test } from 'node:test';
import { approveBlocker, bulkActionsFor } from '@/src/server/candidates/transitions';
import { candidateTabs, reviewProgress } from '@/src/server/candidates/schemas';

test('approve: 낮은 점수 goes through review; every other refusal has a reason code', () => {
  assert.equal(approveBlocker('needs_review'), null);
  assert.equal(approveBlocker('low_score_filtered'), null);
  assert.equal(approveBlocker('high_ppl_risk'), 'ppl_review');
  assert.equal(approveBlocker('filtered_no_coupang'), 'needs_link');
  assert.equal(approveBlocker('approved'), 'already_approved');
  assert.equal(approveBlocker('under_revision'), 'under_revision');
  for (const s of ['published', 'rejected', 'archived'] as const) assert.equal(approveBlocker(s), 'final');
});

test('bulk actions per tab follow the status graph', () => {
  const of = (tab: keyof typeof candidateTabs) => bulkActionsFor(candidateTabs[tab]);
  assert.deepEqual(of('needs_review'), ['approved', 'rejected']);
  assert.deepEqual(of('low_score_filtered'), ['approved', 'archived', 'needs_review']);
  assert.deepEqual(of('high_ppl_risk'), ['archived', 'needs_review']);
  assert.deepEqual(of('under_revision'), ['needs_review']);
  assert.deepEqual(of('approved'), ['published']);
  assert.deepEqual(of('filtered_no_coupang'), []);
  assert.deepEqual(of('published'), []);
  assert.deepEqual(of('rejected'), []);
});

test('review progress counts decided tabs out of all', () => {
  const counts = { needs_review: 5, filtered_no_coupang: 1, high_ppl_risk: 1, low_score_filtered: 1, under_revision: 1, approved: 2, published: 3, rejected: 4 };
  assert.deepEqual(reviewProgress(counts), { reviewed: 10, total: 18, capped: false });
  assert.equal(reviewProgress(counts, ['needs_review']).capped, true);
});
