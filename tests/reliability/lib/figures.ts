import fs from 'node:fs';

/**
 * A figure the reliability suite reports (docs/RELIABILITY.md is written from them by scripts/reliability.ts).
 * Each suite records what it measured — counts, not verdicts: the verdicts are the suite's assertions.
 * `area`: the suite's section (crash, external faults, disk full, bad input, security); `name`: what was counted.
 */
export type Figure = { area: string; name: string; value: number | string; note?: string };

export function recordFigure(f: Figure): void {
  const out = process.env.RELIABILITY_FIGURES;
  if (!out) return; // run on its own (npm test -- node tests/reliability/x.test.ts): nothing to collect
  fs.appendFileSync(out, JSON.stringify(f) + '\n');
}
