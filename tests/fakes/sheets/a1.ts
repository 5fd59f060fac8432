/** Minimal A1-notation helpers for the Sheets fake: "'채널 목록'!A1:F", "Sheet1!A:C", "결과", "A2:B". */

export interface A1Range {
  /** undefined → first sheet */
  sheet?: string;
  /** 0-based inclusive */
  startRow: number;
  startCol: number;
  /** 0-based inclusive; undefined = open-ended (to the grid edge) */
  endRow?: number;
  endCol?: number;
}

export function colToIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function indexToCol(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

const CELLS = /^([A-Za-z]{0,3})(\d*)(?::([A-Za-z]{0,3})(\d*))?$/;

/** Split "'It''s'!A1:B" into sheet and cell part. Returns undefined when the quoting is broken. */
function splitSheet(s: string): { sheet?: string; cells?: string } | undefined {
  if (s.startsWith("'")) {
    let i = 1;
    let name = '';
    for (; i < s.length; i++) {
      if (s[i] === "'") {
        if (s[i + 1] === "'") {
          name += "'";
          i++;
          continue;
        }
        break;
      }
      name += s[i];
    }
    if (i >= s.length) return undefined;
    const rest = s.slice(i + 1);
    if (rest === '') return { sheet: name };
    if (!rest.startsWith('!')) return undefined;
    return { sheet: name, cells: rest.slice(1) };
  }
  const bang = s.lastIndexOf('!');
  if (bang !== -1) return { sheet: s.slice(0, bang), cells: s.slice(bang + 1) };
  return { cells: s };
}

/**
 * Parse an A1 range. `isSheet(name)` decides whether a bare token like "결과" or "A1" is a sheet name.
 * Returns undefined for unparseable input.
 */
export function parseA1(input: string, isSheet: (name: string) => boolean): A1Range | undefined {
  const parts = splitSheet(input.trim());
  if (!parts) return undefined;
  let { sheet, cells } = parts;
  if (sheet === undefined && cells !== undefined && isSheet(cells)) {
    sheet = cells;
    cells = undefined;
  }
  if (cells === undefined || cells === '') return { sheet, startRow: 0, startCol: 0 };
  const m = cells.match(CELLS);
  if (!m) return undefined;
  const [, c1, r1, c2, r2] = m;
  const hasEnd = cells.includes(':');
  if (!c1 && !r1) return undefined;
  const range: A1Range = {
    sheet,
    startCol: c1 ? colToIndex(c1) : 0,
    startRow: r1 ? Number(r1) - 1 : 0,
  };
  if (hasEnd) {
    range.endCol = c2 ? colToIndex(c2) : undefined;
    range.endRow = r2 ? Number(r2) - 1 : undefined;
  } else if (c1 && r1) {
    range.endCol = range.startCol;
    range.endRow = range.startRow;
  } else if (c1) {
    range.endCol = range.startCol; // whole column "A"
  } else {
    range.endRow = range.startRow; // whole row "3"
  }
  if (range.startRow < 0) return undefined;
  return range;
}

export function formatA1(sheet: string, r0: number, c0: number, r1: number, c1: number): string {
  return `${quoteSheet(sheet)}!${indexToCol(c0)}${r0 + 1}:${indexToCol(c1)}${r1 + 1}`;
}
