/**
 * `npm run eval` → node --import tsx scripts/eval.ts
 * Runs the no-key analyzer (pass 1 → naming → category → PPL → score → routing) over each labelled set and prints,
 * per set: window P/R/F1 with 95 % bootstrap intervals, naming accuracy, category accuracy, PPL accuracy and the
 * share of labelled recommendations routed to review (scripts/eval/evaluate-set.ts says how each is counted).
 *
 * Sets:
 * - tuning (tests/fixtures/transcripts): the rules were tuned on it, so its figures are a regression check;
 * - blind (tests/fixtures/transcripts-blind): written by someone who had not read the rules and never used to tune
 *   them; its figures are the estimate for new videos. Once a blind file steers a change it moves to the tuning set
 *   and a fresh blind set is written.
 *
 * --set=tuning|blind: one set only (tune with --set=tuning: looking at the blind set's details spends it).
 * --check: exit 1 when a tuning-set figure falls below tests/fixtures/eval-baseline.json (CI runs this; the blind
 *   figures are printed, never asserted). --verbose: a line per file. --golden: the pipeline against operator
 *   corrections (src/server/golden/report.ts), read from DATABASE_URL or the embedded database under DATA_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateFile, loadSet, summarize, type FileResult, type Interval, type SetSummary } from './eval/evaluate-set';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../tests/fixtures');
const SETS = [
  { name: 'tuning', dir: path.join(FIXTURES, 'transcripts'), note: 'tuned on: a regression check, not an estimate' },
  { name: 'blind', dir: path.join(FIXTURES, 'transcripts-blind'), note: 'written blind, never tuned on: the estimate for new videos' },
];
const BASELINE = path.join(FIXTURES, 'eval-baseline.json');

type Baseline = { f1: number; naming: number; routed: number; ppl: number };

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--golden')) {
    const { runGoldenEvaluation } = await import('@/src/server/golden/report');
    return runGoldenEvaluation();
  }
  const verbose = argv.includes('--verbose');
  const summaries: Record<string, SetSummary> = {};
  const only = argv.find((a) => a.startsWith('--set='))?.slice('--set='.length);
  for (const set of SETS) {
    if (!fs.existsSync(set.dir) || (only && set.name !== only)) continue;
    const results = loadSet(set.dir).map(evaluateFile);
    console.log(`\n== ${set.name} set (${set.note}): ${path.relative(process.cwd(), set.dir)}`);
    if (results.length === 0) {
      console.log('no transcripts here yet: nothing to measure');
      continue;
    }
    if (verbose) printFiles(results);
    summaries[set.name] = summarize(results);
    printSummary(summaries[set.name]);
  }
  if (!argv.includes('--check')) return 0;
  const baseline = JSON.parse(fs.readFileSync(BASELINE, 'utf8')) as Baseline;
  const t = summaries.tuning;
  if (!t) throw new Error('--check needs the tuning set');
  const now: Baseline = { f1: t.f1.value, naming: t.naming.value, routed: t.routed.value, ppl: t.ppl.value };
  const worse = (Object.keys(baseline) as (keyof Baseline)[]).filter((k) => now[k] + 1e-9 < baseline[k]);
  for (const k of worse) console.error(`eval: tuning-set ${k} fell from ${baseline[k].toFixed(3)} to ${now[k].toFixed(3)} (${path.relative(process.cwd(), BASELINE)})`);
  if (worse.length === 0) console.log(`\neval: tuning set holds its baseline (${path.relative(process.cwd(), BASELINE)})`);
  return worse.length ? 1 : 0;
}

const pct = (i: Interval) => `${i.value.toFixed(3)} [95% ${i.low.toFixed(2)}–${i.high.toFixed(2)}]`;

function printSummary(s: SetSummary) {
  console.log(`transcripts ${s.files} · windows TP ${s.tp} FP ${s.fp} FN ${s.fn} (match: IoU >= 0.3 or the prediction holds the label's center)`);
  console.log(`window precision ${pct(s.precision)}  recall ${pct(s.recall)}  F1 ${pct(s.f1)}`);
  console.log(`naming accuracy  ${pct(s.naming)}  (${s.naming.k}/${s.naming.n} found windows whose label names a product)`);
  console.log(`category (top)   ${pct(s.category)}  (${s.category.k}/${s.category.n})`);
  console.log(`PPL accuracy     ${pct(s.ppl)}  (${s.ppl.k}/${s.ppl.n} videos)`);
  console.log(`routed to review ${pct(s.routed)}  (${s.routed.k}/${s.routed.n} labelled recommendations; false windows routed: ${s.falseRouted.k}/${s.falseRouted.n})`);
}

function printFiles(results: FileResult[]) {
  for (const r of results) {
    const ws = r.windows.map((w) => `${w.label >= 0 ? '✓' : '✗'}${w.start}-${w.end} ${w.name} [${w.category ?? '-'}] ${w.score}${w.route === 'low_score_filtered' ? '↓' : ''}`).join(' | ');
    const ppl = r.pplLabel === null ? '' : ` PPL ${r.pplLabel ? 'Y' : 'N'}/${r.pplPredicted ? 'Y' : 'N'}${r.pplLabel === r.pplPredicted ? '' : '✗'}`;
    console.log(`${r.id}: TP ${r.tp} FP ${r.fp} FN ${r.fn}${ppl}  ${ws}${r.missedNames.length ? `  misnamed: ${r.missedNames.join('; ')}` : ''}`);
  }
}

process.exitCode = await main(process.argv.slice(2));
