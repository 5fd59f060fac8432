import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { VERDICT_MODEL } from '@/src/server/analysis/learned-verdict';
import { findRecommendationWindowsByRules } from '@/src/server/analysis/recommendation-episodes';
import { loadSet, type LabelledTranscript } from '@/scripts/eval/evaluate-set';
import { trainVerdictModel } from '@/scripts/verdict/train';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/transcripts');
const video = (id: string) => JSON.parse(fs.readFileSync(path.join(fixtures, `${id}.json`), 'utf8')) as LabelledTranscript;
const spans = (ws: { start: number; end: number }[]) => ws.map((w) => [w.start, w.end]);

test('the learned verdict drops what the rules let through: a turner called 비추, a stroller only looked at, a machine only wished for', () => {
  const cases: [string, number[][], number[][]][] = [
    // id, windows of the rules alone that are not recommendations, windows that must stay
    ['j01-jachwi-kitchen-5years', [[82.7, 112.9], [162.7, 180.1]], [[29.9, 51.2], [112.9, 162.7]]],
    ['j05-baby-100days-must-haves', [[152.1, 174.6]], [[41.1, 97.4], [116.2, 149.7]]],
    ['l14-home-cafe-espresso-machine', [[135.7, 184.9]], [[28.4, 88.4]]],
  ];
  for (const [id, dropped, kept] of cases) {
    const fx = video(id);
    const rules = spans(findRecommendationWindowsByRules(fx.segments, {}, null));
    const learned = findRecommendationWindowsByRules(fx.segments);
    for (const d of dropped) {
      assert.ok(rules.some((r) => r[0] === d[0] && r[1] === d[1]), `${id}: the rules find ${d}`);
      assert.ok(!spans(learned).some((r) => r[0] === d[0] && r[1] === d[1]), `${id}: the model drops ${d}`);
    }
    for (const k of kept) assert.ok(spans(learned).some((r) => r[0] === k[0] && r[1] === k[1]), `${id}: the model keeps ${k}`);
    for (const w of learned) assert.ok(w.confidence >= VERDICT_MODEL.threshold, `${id}: confidence is the model's probability`);
  }
});

test('the committed model is what npm run train:verdict makes from the tuning set (retrain after changing rules or fixtures)', () => {
  const trained = trainVerdictModel(loadSet(fixtures));
  assert.equal(VERDICT_MODEL.threshold, trained.threshold);
  const names = new Set([...Object.keys(trained.weights), ...Object.keys(VERDICT_MODEL.weights)]);
  const off = [...names].filter((k) => Math.abs((trained.weights[k] ?? 0) - (VERDICT_MODEL.weights[k] ?? 0)) > 1e-3);
  assert.deepEqual(off.slice(0, 10), [], `${off.length} weights differ: run npm run train:verdict`);
  assert.ok(trained.crossValidation.atThreshold.f1 > trained.crossValidation.rulesOnly.f1, JSON.stringify(trained.crossValidation));
});
