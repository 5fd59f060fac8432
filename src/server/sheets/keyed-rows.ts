import { a1, columnLetter, type SheetsClient } from '@/src/server/integrations/sheets/client';
import { normalizeHeader } from './columns';

export type Cell = string | number | boolean;
export type KeyedRow = Record<string, Cell>;
export type UpsertResult = { sheet: string; appended: number; updated: number; unchanged: number };

const asText = (v: Cell | undefined) => (v === undefined ? '' : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v));

/**
 * Plans writes that make a tab hold one row per key: rows whose key (first header column) is already in the tab are
 * rewritten in place when a value changed, new keys are appended below the last row. Columns are found by header
 * name (an operator may reorder them or add their own; their own columns are kept). Pure, for tests.
 */
export function planKeyedRows(
  sheet: string,
  existing: string[][],
  header: readonly string[],
  rows: KeyedRow[],
): { writes: { range: string; values: Cell[][] }[]; result: UpsertResult } {
  const writes: { range: string; values: Cell[][] }[] = [];
  const current = existing[0]?.some((c) => c.trim() !== '') ? [...existing[0]] : [];
  const index = new Map(current.map((h, i) => [normalizeHeader(h), i] as const));
  let headerChanged = current.length === 0;
  for (const h of header) {
    if (!index.has(normalizeHeader(h))) {
      index.set(normalizeHeader(h), current.length);
      current.push(h);
      headerChanged = true;
    }
  }
  const width = current.length;
  const last = columnLetter(width - 1);
  if (headerChanged) writes.push({ range: a1(sheet, `A1:${last}1`), values: [current] });

  const keyCol = index.get(normalizeHeader(header[0]))!;
  const rowOfKey = new Map<string, number>();
  let lastRow = 1;
  existing.forEach((cells, i) => {
    if (i === 0) return;
    if (cells.some((c) => c.trim() !== '')) lastRow = i + 1;
    const key = (cells[keyCol] ?? '').trim();
    if (key && !rowOfKey.has(key)) rowOfKey.set(key, i + 1);
  });

  const result: UpsertResult = { sheet, appended: 0, updated: 0, unchanged: 0 };
  for (const r of rows) {
    const key = asText(r[header[0]]).trim();
    if (!key) continue;
    const at = rowOfKey.get(key);
    const before = at ? (existing[at - 1] ?? []) : [];
    const next: Cell[] = Array.from({ length: width }, (_, i) => before[i] ?? '');
    for (const h of header) next[index.get(normalizeHeader(h))!] = r[h] ?? '';
    if (at) {
      const same = next.every((v, i) => asText(v) === (before[i] ?? ''));
      if (same) {
        result.unchanged++;
        continue;
      }
      writes.push({ range: a1(sheet, `A${at}:${last}${at}`), values: [next] });
      result.updated++;
    } else {
      lastRow += 1;
      rowOfKey.set(key, lastRow);
      writes.push({ range: a1(sheet, `A${lastRow}:${last}${lastRow}`), values: [next] });
      result.appended++;
    }
  }
  return { writes, result };
}

/** Reads the tab (creating it when missing), plans and writes in one batchUpdate. */
export async function upsertKeyedRows(client: SheetsClient, sheet: string, header: readonly string[], rows: KeyedRow[]): Promise<UpsertResult> {
  const titles = await client.sheetTitles();
  if (!titles.includes(sheet)) await client.addSheet(sheet);
  const existing = titles.includes(sheet) ? await client.getValues(a1(sheet, 'A1:ZZ')) : [];
  const { writes, result } = planKeyedRows(sheet, existing, header, rows);
  await client.batchUpdate(writes);
  return result;
}
