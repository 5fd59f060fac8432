/**
 * `npm run eval` → node --import tsx scripts/eval.ts
 * Runs the rule-based pass 1 over the labelled transcripts in tests/fixtures/transcripts and prints window
 * precision/recall/F1 (match rule in src/server/analysis/evaluate-windows.ts: IoU ≥ 0.3 OR the predicted window
 * contains the labelled center, one-to-one) with a per-file table, plus PPL accuracy. Exits 0.
 * The rules were tuned on that set, so its numbers are a regression check; tests/fixtures/transcripts-holdout holds
 * transcripts written blind and never tuned on, reported separately as the estimate for new videos. Keep it that way:
 * a held-out file used for tuning moves to the tuning set.
 *
 * --golden: the pipeline's product name, category and clip against the operators' final values (golden dataset),
 *   read from DATABASE_URL or the embedded database under DATA_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { matchWindows, precisionRecall, sumCounts, type WindowMatchResult } from '@/src/server/analysis/evaluate-windows';
import { findRecommendationWindowsByRules } from '@/src/server/analysis/rule-windows';
import type { TranscriptSegment } from '@/src/server/analysis/types';
import { assessPaidPlacement } from '@/src/server/ppl';

type LabelledTranscript = {
  id: string;
  title?: string;
  description?: string;
  segments: TranscriptSegment[];
  labels: { windows: { start: number; end: number; product?: string }[]; ppl?: boolean };
};

const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../tests/fixtures/transcripts');
const HOLDOUT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../tests/fixtures/transcripts-holdout');

function main(argv: string[]): number {
  if (argv.includes('--golden')) {
    // Golden dataset: the pipeline's fields against the operators' final values (src/server/golden/report.ts).
    void import('@/src/server/golden/report').then(({ runGoldenEvaluation }) =>
      runGoldenEvaluation().then((code) => {
        process.exitCode = code;
      }),
    );
    return 0;
  }

  const tuned = evaluateSet(FIXTURE_DIR);
  console.log('');
  console.log('== held out: written blind and never used to tune the rules (an estimate of quality on new videos)');
  const heldOut = evaluateSet(HOLDOUT_DIR);
  console.log('');
  console.log(`summary: tuning set F1 ${tuned.toFixed(3)} · held-out F1 ${heldOut.toFixed(3)}`);
  return 0;
}

/** Evaluates every labelled transcript in one folder, prints its table and totals, returns its window F1. */
function evaluateSet(dir: string): number {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const rows: string[][] = [];
  const results: WindowMatchResult[] = [];
  let pplTotal = 0;
  let pplCorrect = 0;

  for (const file of files) {
    const fx = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as LabelledTranscript;
    const predicted = findRecommendationWindowsByRules(fx.segments);
    const r = matchWindows(predicted, fx.labels.windows);
    results.push(r);
    let pplCell = '-';
    if (typeof fx.labels.ppl === 'boolean') {
      const a = assessPaidPlacement({
        title: fx.title ?? '',
        description: fx.description ?? '',
        speech: fx.segments.map((s) => s.text).join(' '),
      });
      pplTotal++;
      if (a.isPpl === fx.labels.ppl) pplCorrect++;
      pplCell = `${fx.labels.ppl ? 'Y' : 'N'}/${a.isPpl ? 'Y' : 'N'} ${a.probability.toFixed(2)}${a.isPpl === fx.labels.ppl ? '' : ' ✗'}`;
    }
    rows.push([
      fx.id ?? file.replace(/\.json$/, ''),
      String(fx.labels.windows.length),
      String(predicted.length),
      String(r.truePositives),
      String(r.falsePositives),
      String(r.falseNegatives),
      predicted.map((w) => `${w.start}-${w.end}`).join(' ') || '-',
      pplCell,
    ]);
  }

  printTable(['file', 'label', 'pred', 'TP', 'FP', 'FN', 'predicted windows (s)', 'PPL label/pred p'], rows);
  const counts = sumCounts(results);
  const pr = precisionRecall(counts);
  console.log('');
  console.log(`transcripts: ${files.length}   match: IoU >= 0.3 or predicted contains labelled center (one-to-one)`);
  console.log(`windows: TP ${counts.truePositives}  FP ${counts.falsePositives}  FN ${counts.falseNegatives}`);
  console.log(`precision ${pr.precision.toFixed(3)}  recall ${pr.recall.toFixed(3)}  F1 ${pr.f1.toFixed(3)}`);
  console.log(`PPL accuracy ${pplTotal ? (pplCorrect / pplTotal).toFixed(3) : 'n/a'} (${pplCorrect}/${pplTotal})`);
  return pr.f1;
}

function printTable(header: string[], rows: string[][]) {
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7A3]/.test(ch) ? 2 : 1), 0);
  const cols = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (r: string[]) => r.map((c, i) => c + ' '.repeat(cols[i] - width(c))).join('  ');
  console.log(line(header));
  console.log(cols.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

process.exitCode = main(process.argv.slice(2));
