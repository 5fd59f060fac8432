/**
 * The figures a benchmark hands to `npm run bench` (bench/run.ts), besides the table it prints for people: one line
 * `BENCH_FIGURES {json}` on stdout. Each figure carries its target when the issue set one, so the summary in
 * bench/RESULTS.md says met or not met from the same run's numbers.
 */
export type Target = { op: '<=' | '>='; value: number };
export type Figure = {
  name: string;
  value: number;
  unit: string;
  /** What it was measured against in the same run ("one full decode 3.99 s"). */
  reference?: string;
  target?: Target;
};

export const FIGURES_PREFIX = 'BENCH_FIGURES ';

export function reportFigures(bench: string, figures: Figure[]): void {
  console.log(`${FIGURES_PREFIX}${JSON.stringify({ bench, figures })}`);
}

export const meets = (f: Figure): boolean | null => (f.target ? (f.target.op === '<=' ? f.value <= f.target.value : f.value >= f.target.value) : null);
