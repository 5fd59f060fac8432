import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containsCenter, matchWindows, precisionRecall, sumCounts, temporalIou } from '@/src/server/analysis/evaluate-windows';

test('temporal IoU', () => {
  assert.equal(temporalIou({ start: 0, end: 10 }, { start: 5, end: 15 }), 5 / 15);
  assert.equal(temporalIou({ start: 0, end: 10 }, { start: 10, end: 20 }), 0);
  assert.equal(temporalIou({ start: 0, end: 10 }, { start: 0, end: 10 }), 1);
});

test('match by IoU ≥ 0.3 or by containing the labelled center', () => {
  assert.equal(matchWindows([{ start: 0, end: 10 }], [{ start: 7, end: 17 }]).truePositives, 0); // IoU 3/17, center 12 outside
  assert.equal(matchWindows([{ start: 0, end: 10 }], [{ start: 5, end: 12 }]).truePositives, 1); // IoU 5/12
  assert.ok(containsCenter({ start: 0, end: 100 }, { start: 40, end: 44 }));
  assert.equal(matchWindows([{ start: 0, end: 100 }], [{ start: 40, end: 44 }]).truePositives, 1); // IoU 0.04, center inside
});

test('matching is one-to-one and greedy by IoU', () => {
  const r = matchWindows([{ start: 0, end: 60 }], [{ start: 5, end: 25 }, { start: 30, end: 50 }]);
  assert.equal(r.truePositives, 1);
  assert.equal(r.falseNegatives, 1);
  const r2 = matchWindows([{ start: 0, end: 10 }, { start: 0, end: 30 }], [{ start: 0, end: 10 }]);
  assert.deepEqual(r2.matches, [{ predicted: 0, labelled: 0, iou: 1 }]);
  assert.equal(r2.falsePositives, 1);
});

test('precision, recall and F1', () => {
  const pr = precisionRecall(sumCounts([
    { matches: [], truePositives: 3, falsePositives: 1, falseNegatives: 0 },
    { matches: [], truePositives: 1, falsePositives: 0, falseNegatives: 2 },
  ]));
  assert.equal(pr.precision, 4 / 5);
  assert.equal(pr.recall, 4 / 6);
  assert.equal(pr.f1, (2 * 0.8 * (4 / 6)) / (0.8 + 4 / 6));
  assert.deepEqual(precisionRecall({ truePositives: 0, falsePositives: 0, falseNegatives: 0 }), { precision: 1, recall: 1, f1: 1 });
});
