import { getConfig } from '@/src/server/config';
import { getDb, startDatabase, stopDatabase } from '@/src/server/db';
import { evaluateGolden, type GoldenReport } from './index';

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

export function formatGoldenReport(r: GoldenReport): string {
  const lines = [
    `golden dataset: ${r.reviewed} reviewed candidates (demo rows excluded)`,
    `candidate precision (approved+published / reviewed): ${pct(r.precision)}  (${r.accepted} accepted, ${r.rejected} rejected)`,
    '',
    'field           accepted  kept as model  rate',
    '--------------  --------  -------------  ------',
    ...r.fields.map((f) => `${f.field.padEnd(14)}  ${String(f.accepted).padStart(8)}  ${String(f.matched).padStart(13)}  ${pct(f.rate).padStart(6)}`),
    '',
    `clip mean IoU (model vs final): ${r.clipMeanIou === null ? 'n/a' : r.clipMeanIou.toFixed(3)}`,
  ];
  if (!r.reviewed) lines.push('', 'No reviewed candidates yet: approve, correct or reject candidates in the console to build the dataset.');
  return lines.join('\n');
}

/** `npm run eval -- --golden`: prints the report; exit code 0, or 1 when the database cannot be reached. */
export async function runGoldenEvaluation(): Promise<number> {
  try {
    getConfig();
    await startDatabase();
    console.log(formatGoldenReport(await evaluateGolden(getDb())));
    return 0;
  } catch (e) {
    console.error(`golden evaluation failed: ${(e as Error).message}`);
    return 1;
  } finally {
    await stopDatabase().catch(() => {});
  }
}
