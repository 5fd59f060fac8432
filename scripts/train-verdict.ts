/**
 * `npm run train:verdict`: trains the learned verdict on the tuning set (tests/fixtures/transcripts, never the blind
 * set) and writes src/server/analysis/verdict/model.json. Run it after any change to the rules or the tuning set; a
 * unit test fails while the committed model differs from what this produces.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSet } from './eval/evaluate-set';
import { trainVerdictModel } from './verdict/train';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const set = loadSet(path.join(root, 'tests/fixtures/transcripts'));
const model = trainVerdictModel(set);
const out = path.join(root, 'src/server/analysis/verdict/model.json');
fs.writeFileSync(out, `${JSON.stringify({ ...model, weights: model.weights }, null, 1)}\n`);
const cv = model.crossValidation;
console.log(`trained on ${model.trainedOn.videos} videos, ${model.trainedOn.episodes} episodes (${model.trainedOn.positives} genuine); ${Object.keys(model.weights).length} weights`);
console.log(`5-fold cross-validation by video: rules alone P ${cv.rulesOnly.precision} R ${cv.rulesOnly.recall} F1 ${cv.rulesOnly.f1}; with the model at ${model.threshold}: P ${cv.atThreshold.precision} R ${cv.atThreshold.recall} F1 ${cv.atThreshold.f1}`);
console.log(`wrote ${path.relative(root, out)}`);
