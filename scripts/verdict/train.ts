/**
 * Training of the learned verdict (src/server/analysis/learned-verdict.ts) on labelled transcripts.
 *
 * Examples: every episode the rules recommend in a labelled video, positive when its window matches a labelled one
 * (the eval's match rule). Model: logistic regression, L2-regularised, full-batch Adagrad for a fixed number of epochs
 * from zero weights, so the same data gives the same model. Word features seen in fewer than `minVideos` episodes are
 * dropped. The threshold is the one with the best window F1 in a 5-fold cross-validation grouped by video (a video's
 * episodes never sit on both sides), counting the labelled windows the rules missed as misses.
 */
import { matchWindows } from '@/src/server/analysis/evaluate-windows';
import { episodeFeatures, recommendationProbability, type EpisodeFeatures, type VerdictModel } from '@/src/server/analysis/learned-verdict';
import { recommendedEpisodes } from '@/src/server/analysis/recommendation-episodes';
import type { LabelledTranscript } from '../eval/evaluate-set';

export const TRAINING_OPTIONS = { l2: 0.01, minEpisodes: 3, epochs: 300, learningRate: 0.1, folds: 5 };
const NEAR_TIE = 0.005;
const THRESHOLDS = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];

type Example = { video: string; features: EpisodeFeatures; positive: boolean };

export function trainingExamples(set: readonly LabelledTranscript[]): { examples: Example[]; missed: Map<string, number> } {
  const examples: Example[] = [];
  const missed = new Map<string, number>();
  for (const fx of set) {
    const found = recommendedEpisodes(fx.segments);
    const m = matchWindows(found, fx.labels.windows);
    missed.set(fx.id, m.falseNegatives);
    found.forEach((r, i) => examples.push({ video: fx.id, features: episodeFeatures(r), positive: m.matches.some((x) => x.predicted === i) }));
  }
  return { examples, missed };
}

function fit(examples: readonly Example[], o = TRAINING_OPTIONS): Record<string, number> {
  const seen = new Map<string, number>();
  for (const e of examples) for (const k of e.features.keys()) seen.set(k, (seen.get(k) ?? 0) + 1);
  const used = (k: string) => !k.startsWith('word:') || (seen.get(k) ?? 0) >= o.minEpisodes;
  const w = new Map<string, number>();
  const squared = new Map<string, number>();
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const grad = new Map<string, number>();
    for (const e of examples) {
      let z = 0;
      for (const [k, x] of e.features) if (used(k)) z += (w.get(k) ?? 0) * x;
      const error = 1 / (1 + Math.exp(-z)) - (e.positive ? 1 : 0);
      for (const [k, x] of e.features) if (used(k)) grad.set(k, (grad.get(k) ?? 0) + error * x);
    }
    for (const [k, g] of grad) {
      const step = g / examples.length + (k === 'bias' ? 0 : o.l2 * (w.get(k) ?? 0));
      squared.set(k, (squared.get(k) ?? 0) + step * step);
      w.set(k, (w.get(k) ?? 0) - (o.learningRate * step) / (Math.sqrt(squared.get(k)!) + 1e-8));
    }
  }
  return Object.fromEntries([...w].filter(([, x]) => Math.abs(x) >= 5e-4).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, Math.round(x * 1e4) / 1e4]));
}

export type WindowCounts = { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number };

function countsAt(examples: readonly Example[], probabilities: readonly number[], threshold: number, missedByRules: number): WindowCounts {
  let tp = 0;
  let fp = 0;
  let fn = missedByRules;
  examples.forEach((e, i) => {
    const kept = probabilities[i] >= threshold;
    if (e.positive) kept ? tp++ : fn++;
    else if (kept) fp++;
  });
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { tp, fp, fn, precision: r3(precision), recall: r3(recall), f1: r3(f1) };
}

export type TrainedVerdictModel = VerdictModel & {
  trainedOn: { videos: number; episodes: number; positives: number; labelledWindowsMissedByRules: number };
  options: typeof TRAINING_OPTIONS;
  crossValidation: { rulesOnly: WindowCounts; atThreshold: WindowCounts };
};

export function trainVerdictModel(set: readonly LabelledTranscript[], o = TRAINING_OPTIONS): TrainedVerdictModel {
  const { examples, missed } = trainingExamples(set);
  const missedTotal = [...missed.values()].reduce((a, b) => a + b, 0);
  const videos = [...new Set(set.map((fx) => fx.id))].sort();
  const held: number[] = new Array(examples.length);
  for (let fold = 0; fold < o.folds; fold++) {
    const test = new Set(videos.filter((_, i) => i % o.folds === fold));
    const weights = fit(examples.filter((e) => !test.has(e.video)), o);
    examples.forEach((e, i) => {
      if (test.has(e.video)) held[i] = recommendationProbability(e.features, { threshold: 0, weights });
    });
  }
  const byThreshold = THRESHOLDS.map((t) => ({ t, counts: countsAt(examples, held, t, missedTotal) }));
  // among thresholds within NEAR_TIE of the best F1, the lowest: a missed recommendation is lost, a false one costs the
  // operator one rejection
  const top = Math.max(...byThreshold.map((x) => x.counts.f1));
  const best = byThreshold.find((x) => x.counts.f1 >= top - NEAR_TIE)!;
  return {
    threshold: best.t,
    trainedOn: { videos: set.length, episodes: examples.length, positives: examples.filter((e) => e.positive).length, labelledWindowsMissedByRules: missedTotal },
    options: o,
    crossValidation: { rulesOnly: countsAt(examples, held, 0, missedTotal), atThreshold: best.counts },
    weights: fit(examples, o),
  };
}
