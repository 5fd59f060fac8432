/**
 * Matching of predicted recommendation windows against labelled ones, for `npm run eval`.
 *
 * Match rule (documented choice): a predicted window matches a labelled window when their temporal IoU is at least
 * `minIou` (default 0.3) OR the predicted window contains the labelled window's center. Matching is one-to-one and
 * greedy: pairs are taken by descending IoU, so one long prediction covering two labels counts once (the other
 * label is a miss). Unmatched predictions are false positives, unmatched labels false negatives.
 */

export type TimeSpan = { start: number; end: number };

export type WindowMatch = { predicted: number; labelled: number; iou: number };

export type WindowMatchResult = {
  matches: WindowMatch[];
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
};

export type PrecisionRecall = { precision: number; recall: number; f1: number };

export function temporalIou(a: TimeSpan, b: TimeSpan): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union > 0 ? inter / union : 0;
}

export function containsCenter(predicted: TimeSpan, labelled: TimeSpan): boolean {
  const center = (labelled.start + labelled.end) / 2;
  return predicted.start <= center && center <= predicted.end;
}

export function isWindowMatch(predicted: TimeSpan, labelled: TimeSpan, minIou = 0.3): boolean {
  return temporalIou(predicted, labelled) >= minIou || containsCenter(predicted, labelled);
}

export function matchWindows(
  predicted: readonly TimeSpan[],
  labelled: readonly TimeSpan[],
  minIou = 0.3,
): WindowMatchResult {
  const candidates: WindowMatch[] = [];
  predicted.forEach((p, pi) =>
    labelled.forEach((l, li) => {
      if (isWindowMatch(p, l, minIou)) candidates.push({ predicted: pi, labelled: li, iou: temporalIou(p, l) });
    }),
  );
  candidates.sort((a, b) => b.iou - a.iou || a.predicted - b.predicted || a.labelled - b.labelled);
  const usedP = new Set<number>();
  const usedL = new Set<number>();
  const matches: WindowMatch[] = [];
  for (const c of candidates) {
    if (usedP.has(c.predicted) || usedL.has(c.labelled)) continue;
    usedP.add(c.predicted);
    usedL.add(c.labelled);
    matches.push(c);
  }
  return {
    matches,
    truePositives: matches.length,
    falsePositives: predicted.length - matches.length,
    falseNegatives: labelled.length - matches.length,
  };
}

/** Micro-averaged precision/recall/F1. With nothing predicted precision is 1; with nothing labelled recall is 1. */
export function precisionRecall(counts: { truePositives: number; falsePositives: number; falseNegatives: number }): PrecisionRecall {
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn } = counts;
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

export function sumCounts(results: readonly WindowMatchResult[]) {
  return results.reduce(
    (acc, r) => ({
      truePositives: acc.truePositives + r.truePositives,
      falsePositives: acc.falsePositives + r.falsePositives,
      falseNegatives: acc.falseNegatives + r.falseNegatives,
    }),
    { truePositives: 0, falsePositives: 0, falseNegatives: 0 },
  );
}
