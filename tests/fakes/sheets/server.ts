/**
 * Fake of Google Sheets API v4 (values.get/append/update/batchUpdate/batchGet/clear, spreadsheets.get,
 * spreadsheets.batchUpdate addSheet) plus a fake OAuth token endpoint POST /token.
 * Point googleapis at it with google.sheets({version:'v4', auth, rootUrl: fake.url + '/'}).
 *
 * Grid: in-memory string[][] per sheet title. setSheet(title, rows) / getSheet(title) / deleteSheet(title).
 * Auth: requires `Authorization: Bearer <token>` (missing → contract 401). If opts.accessToken is set,
 *   only that token or tokens issued by /token are accepted.
 * /token: grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer (assertion JWT; RS256 signature checked
 *   when opts.serviceAccountPublicKey is given) or grant_type=refresh_token. Returns the contract
 *   token-response shape. google-auth-library's JWT client has no token_uri override, so use
 *   redirectTokenRequests(client, fake.url) (a gaxios interceptor) or OAuth2Client({endpoints:{oauth2TokenUrl}}).
 * Failure injection (one-shot FIFO overrides consumed before normal handling):
 *   failNext(status, body?, headers?, match?)   body defaults to the contract body for 400/401/403/404/429;
 *                                       match (optional) picks the request it applies to (e.g. only values:batchUpdate)
 *   hangNext(ms, match?)                the response is held ms (then 504), for client timeouts
 *   failTokenNext()                     next /token → 400 invalid_grant
 * opts.spreadsheetId: when set, other ids → contract 404; otherwise any id is accepted.
 */
import crypto from 'node:crypto';
import { heldResponse, OverrideQueue, readContractJson, sendCanned, sendJson, startServer, type RecordedRequest } from '../http';
import { formatA1, indexToCol, parseA1, quoteSheet, type A1Range } from './a1';

function contractBody(file: string, fallback: object): object {
  try {
    return readContractJson(file);
  } catch {
    return fallback;
  }
}
const gErr = (code: number, message: string, status: string) => ({ error: { code, message, status } });
const body401 = () => contractBody('google-sheets/error-401-unauthenticated.json', gErr(401, 'Request had invalid authentication credentials.', 'UNAUTHENTICATED'));
const body403 = () => contractBody('google-sheets/error-403-permission-denied.json', gErr(403, 'The caller does not have permission', 'PERMISSION_DENIED'));
const body404 = () => contractBody('google-sheets/error-404-not-found.json', gErr(404, 'Requested entity was not found.', 'NOT_FOUND'));
const body429 = () => contractBody('google-sheets/error-429-rate-limit.json', gErr(429, "Quota exceeded for quota metric 'Read requests'.", 'RESOURCE_EXHAUSTED'));
const badRange = (range: string) => gErr(400, `Unable to parse range: ${range}`, 'INVALID_ARGUMENT');
const tokenBody = () => contractBody('google-oauth/token-response.json', { access_token: 'ya29.c.fake-access-token-for-tests', expires_in: 3599, token_type: 'Bearer' }) as { access_token: string };
const invalidGrant = () => contractBody('google-oauth/token-error-invalid-grant.json', { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });

function defaultErrorBody(status: number): object {
  switch (status) {
    case 400:
      return badRange('없는시트!A1:E');
    case 401:
      return body401();
    case 403:
      return body403();
    case 404:
      return body404();
    case 429:
      return body429();
    default:
      return gErr(status, status >= 500 ? 'Internal error encountered.' : `Error ${status}`, status >= 500 ? 'INTERNAL' : 'UNKNOWN');
  }
}

type Cell = string | number | boolean | null | undefined;

function cellToString(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

interface Sheet {
  sheetId: number;
  title: string;
  rows: string[][];
}

export interface SheetsFakeOptions {
  spreadsheetId?: string;
  spreadsheetTitle?: string;
  accessToken?: string;
  /** PEM public key of the test service account; when set, JWT assertions at /token are signature-checked. */
  serviceAccountPublicKey?: string;
}

export interface TokenRequestRecord {
  grantType: string;
  /** decoded JWT claims for jwt-bearer grants */
  claims?: Record<string, unknown>;
  form: Record<string, string>;
}

export interface SheetsFake {
  url: string;
  tokenUrl: string;
  requests: RecordedRequest[];
  tokenRequests: TokenRequestRecord[];
  close(): Promise<void>;
  setSheet(title: string, rows: string[][]): void;
  getSheet(title: string): string[][] | undefined;
  deleteSheet(title: string): void;
  sheetTitles(): string[];
  failNext(status: number, body?: string | object, headers?: Record<string, string>, match?: (req: RecordedRequest) => boolean): void;
  hangNext(ms: number, match?: (req: RecordedRequest) => boolean): void;
  failTokenNext(): void;
}

function trimRow(r: string[]): string[] {
  let n = r.length;
  while (n > 0 && (r[n - 1] ?? '') === '') n--;
  return r.slice(0, n);
}
function trimGrid(rows: string[][]): string[][] {
  const out = rows.map((r) => trimRow(r.map((c) => c ?? '')));
  let n = out.length;
  while (n > 0 && out[n - 1].length === 0) n--;
  return out.slice(0, n);
}

export async function startSheetsFake(opts: SheetsFakeOptions = {}): Promise<SheetsFake> {
  const sheets = new Map<string, Sheet>();
  let nextSheetId = 0;
  const queue = new OverrideQueue();
  const tokenQueue = new OverrideQueue();
  const issuedTokens = new Set<string>();
  const tokenRequests: TokenRequestRecord[] = [];

  const ensure = (title: string): Sheet => {
    let s = sheets.get(title);
    if (!s) {
      s = { sheetId: nextSheetId === 0 ? 0 : 100000000 + nextSheetId * 7919, title, rows: [] };
      nextSheetId++;
      sheets.set(title, s);
    }
    return s;
  };
  const gridRows = (s: Sheet) => Math.max(1000, s.rows.length);
  const gridCols = (s: Sheet) => Math.max(26, ...s.rows.map((r) => r.length));

  /** Resolve an A1 string to sheet + closed rectangle, or an error body. */
  function resolve(rangeStr: string): { sheet: Sheet; r: A1Range; r1: number; c1: number } | { error: object } {
    const r = parseA1(rangeStr, (n) => sheets.has(n));
    if (!r) return { error: badRange(rangeStr) };
    const title = r.sheet ?? [...sheets.keys()][0];
    const sheet = title === undefined ? undefined : sheets.get(title);
    if (!sheet) return { error: badRange(rangeStr) };
    return { sheet, r, r1: r.endRow ?? gridRows(sheet) - 1, c1: r.endCol ?? gridCols(sheet) - 1 };
  }

  function readRect(sheet: Sheet, r0: number, c0: number, r1: number, c1: number): string[][] {
    const out: string[][] = [];
    for (let i = r0; i <= r1 && i < sheet.rows.length; i++) out.push((sheet.rows[i] ?? []).slice(c0, c1 + 1));
    return trimGrid(out);
  }

  function write(sheet: Sheet, r0: number, c0: number, values: Cell[][], skipNull: boolean) {
    values.forEach((row, i) => {
      const target = (sheet.rows[r0 + i] ??= []);
      row.forEach((v, j) => {
        if (skipNull && (v === null || v === undefined)) return;
        while (target.length < c0 + j) target.push('');
        target[c0 + j] = cellToString(v);
      });
    });
    for (let i = 0; i < sheet.rows.length; i++) sheet.rows[i] ??= [];
  }

  const spreadsheetIdOk = (id: string) => !opts.spreadsheetId || id === opts.spreadsheetId;
  const valueInputMissing = (q: Record<string, string>) =>
    q.valueInputOption === undefined ? gErr(400, "'valueInputOption' is required but not specified", 'INVALID_ARGUMENT') : undefined;
  const asRows = (j: unknown): Cell[][] | undefined => {
    const v = (j as { values?: unknown })?.values;
    return Array.isArray(v) && v.every(Array.isArray) ? (v as Cell[][]) : undefined;
  };

  function handleToken(req: RecordedRequest, res: Parameters<Parameters<typeof startServer>[0]>[1]) {
    const form: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(req.body)) form[k] = v;
    const rec: TokenRequestRecord = { grantType: form.grant_type ?? '', form };
    tokenRequests.push(rec);
    const o = tokenQueue.take(req);
    if (o && o !== 'pass') return sendCanned(res, o);
    if (form.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const parts = (form.assertion ?? '').split('.');
      if (parts.length !== 3) return sendJson(res, 400, invalidGrant());
      try {
        rec.claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      } catch {
        return sendJson(res, 400, invalidGrant());
      }
      if (opts.serviceAccountPublicKey) {
        const ok = crypto.verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), opts.serviceAccountPublicKey, Buffer.from(parts[2], 'base64url'));
        if (!ok) return sendJson(res, 400, invalidGrant());
      }
    } else if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) return sendJson(res, 400, invalidGrant());
    } else {
      return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${form.grant_type ?? ''}` });
    }
    const body = tokenBody();
    issuedTokens.add(body.access_token);
    sendJson(res, 200, body);
  }

  const srv = await startServer((req, res) => {
    if (req.method === 'POST' && req.path === '/token') return handleToken(req, res);
    const o = queue.take(req);
    if (o && o !== 'pass') return sendCanned(res, o);

    const auth = String(req.headers.authorization ?? '');
    const m = auth.match(/^Bearer\s+(\S+)$/i);
    if (!m || (opts.accessToken && m[1] !== opts.accessToken && !issuedTokens.has(m[1]))) return sendJson(res, 401, body401());

    const pm = req.path.match(/^\/v4\/spreadsheets\/([^/:]+)(.*)$/);
    if (!pm) return sendJson(res, 404, body404());
    const id = decodeURIComponent(pm[1]);
    let rest = pm[2];
    if (!spreadsheetIdOk(id)) return sendJson(res, 404, body404());
    const q = req.query;
    const json = req.json as Record<string, unknown> | undefined;

    // spreadsheets.get
    if (rest === '' && req.method === 'GET') {
      return sendJson(res, 200, {
        spreadsheetId: id,
        properties: { title: opts.spreadsheetTitle ?? 'Fake spreadsheet', locale: 'ko_KR', autoRecalc: 'ON_CHANGE', timeZone: 'Asia/Seoul' },
        sheets: [...sheets.values()].map((s, index) => ({ properties: { sheetId: s.sheetId, title: s.title, index, sheetType: 'GRID', gridProperties: { rowCount: gridRows(s), columnCount: gridCols(s) } } })),
        spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${id}/edit`,
      });
    }
    // spreadsheets.batchUpdate (structural): addSheet supported, everything else acknowledged with {}
    if (rest === ':batchUpdate' && req.method === 'POST') {
      const requests = Array.isArray(json?.requests) ? (json!.requests as Record<string, any>[]) : [];
      const replies: object[] = [];
      for (const r of requests) {
        if (r.addSheet) {
          const title = String(r.addSheet.properties?.title ?? `Sheet${sheets.size + 1}`);
          if (sheets.has(title)) return sendJson(res, 400, gErr(400, `Invalid requests[${replies.length}].addSheet: A sheet with the name "${title}" already exists. Please enter another name.`, 'INVALID_ARGUMENT'));
          const s = ensure(title);
          replies.push({ addSheet: { properties: { sheetId: s.sheetId, title, index: sheets.size - 1, sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26 } } } });
        } else replies.push({});
      }
      return sendJson(res, 200, { spreadsheetId: id, replies });
    }
    // values:batchGet
    if (rest === '/values:batchGet' && req.method === 'GET') {
      const valueRanges: object[] = [];
      for (const rs of req.queryAll.ranges ?? []) {
        const r = resolve(rs);
        if ('error' in r) return sendJson(res, 400, r.error);
        const values = readRect(r.sheet, r.r.startRow, r.r.startCol, r.r1, r.c1);
        valueRanges.push({ range: formatA1(r.sheet.title, r.r.startRow, r.r.startCol, r.r1, r.c1), majorDimension: 'ROWS', ...(values.length ? { values } : {}) });
      }
      return sendJson(res, 200, { spreadsheetId: id, valueRanges });
    }
    // values:batchUpdate
    if (rest === '/values:batchUpdate' && req.method === 'POST') {
      const missing = json?.valueInputOption === undefined ? gErr(400, "'valueInputOption' is required but not specified", 'INVALID_ARGUMENT') : undefined;
      if (missing) return sendJson(res, 400, missing);
      const data = Array.isArray(json?.data) ? (json!.data as { range: string; values?: Cell[][] }[]) : [];
      const responses: Record<string, unknown>[] = [];
      const touched = new Set<string>();
      for (const d of data) {
        const r = resolve(d.range);
        if ('error' in r) return sendJson(res, 400, r.error);
        const values = d.values ?? [];
        write(r.sheet, r.r.startRow, r.r.startCol, values, true);
        touched.add(r.sheet.title);
        const cols = Math.max(0, ...values.map((v) => v.length));
        responses.push({ spreadsheetId: id, updatedRange: formatA1(r.sheet.title, r.r.startRow, r.r.startCol, r.r.startRow + values.length - 1, r.r.startCol + cols - 1), updatedRows: values.length, updatedColumns: cols, updatedCells: values.reduce((n, v) => n + v.length, 0) });
      }
      const sum = (k: string) => responses.reduce((n, r) => n + (r[k] as number), 0);
      return sendJson(res, 200, { spreadsheetId: id, totalUpdatedRows: sum('updatedRows'), totalUpdatedColumns: Math.max(0, ...responses.map((r) => r.updatedColumns as number)), totalUpdatedCells: sum('updatedCells'), totalUpdatedSheets: touched.size, responses });
    }
    // values/{range}[:append|:clear]
    if (rest.startsWith('/values/')) {
      rest = rest.slice('/values/'.length);
      let verb = '';
      for (const v of [':append', ':clear']) {
        if (rest.endsWith(v)) {
          verb = v;
          rest = rest.slice(0, -v.length);
        }
      }
      let rangeStr: string;
      try {
        rangeStr = decodeURIComponent(rest);
      } catch {
        return sendJson(res, 400, badRange(rest));
      }
      const r = resolve(rangeStr);
      if ('error' in r) return sendJson(res, 400, r.error);
      const { sheet } = r;
      const { startRow: r0, startCol: c0 } = r.r;

      if (verb === '' && req.method === 'GET') {
        const values = readRect(sheet, r0, c0, r.r1, r.c1);
        return sendJson(res, 200, { range: formatA1(sheet.title, r0, c0, r.r1, r.c1), majorDimension: 'ROWS', ...(values.length ? { values } : {}) });
      }
      if (verb === ':clear' && req.method === 'POST') {
        for (let i = r0; i <= r.r1 && i < sheet.rows.length; i++) for (let j = c0; j <= r.c1 && j < sheet.rows[i].length; j++) sheet.rows[i][j] = '';
        return sendJson(res, 200, { spreadsheetId: id, clearedRange: formatA1(sheet.title, r0, c0, r.r1, r.c1) });
      }
      if (verb === ':append' && req.method === 'POST') {
        const missing = valueInputMissing(q);
        if (missing) return sendJson(res, 400, missing);
        const values = asRows(json);
        if (!values) return sendJson(res, 400, gErr(400, 'Invalid values: expected an array of rows', 'INVALID_ARGUMENT'));
        // table = rows from r0 down to the last row with data in the range's columns
        let last = -1;
        for (let i = r0; i < sheet.rows.length && i <= r.r1; i++) if (trimRow(sheet.rows[i].slice(c0, r.c1 + 1)).length) last = i;
        const start = last === -1 ? r0 : last + 1;
        const appendRows = values.map((row) => row.map((v) => (v === null || v === undefined ? '' : v)));
        write(sheet, start, c0, appendRows, false);
        const cols = Math.max(0, ...values.map((v) => v.length));
        const tableWidth = last === -1 ? 0 : Math.max(0, ...sheet.rows.slice(r0, last + 1).map((row) => trimRow(row.slice(c0)).length));
        const updatedRange = formatA1(sheet.title, start, c0, start + values.length - 1, c0 + Math.max(cols, 1) - 1);
        const updates: Record<string, unknown> = { spreadsheetId: id, updatedRange, updatedRows: values.length, updatedColumns: cols, updatedCells: values.reduce((n, v) => n + v.length, 0) };
        if (q.includeValuesInResponse === 'true') updates.updatedData = { range: updatedRange, majorDimension: 'ROWS', values: readRect(sheet, start, c0, start + values.length - 1, c0 + cols - 1) };
        return sendJson(res, 200, {
          spreadsheetId: id,
          ...(last === -1 ? {} : { tableRange: formatA1(sheet.title, r0, c0, last, c0 + Math.max(tableWidth, 1) - 1) }),
          updates,
        });
      }
      if (verb === '' && req.method === 'PUT') {
        const missing = valueInputMissing(q);
        if (missing) return sendJson(res, 400, missing);
        const values = asRows(json);
        if (!values) return sendJson(res, 400, gErr(400, 'Invalid values: expected an array of rows', 'INVALID_ARGUMENT'));
        write(sheet, r0, c0, values, true);
        const cols = Math.max(0, ...values.map((v) => v.length));
        return sendJson(res, 200, { spreadsheetId: id, updatedRange: formatA1(sheet.title, r0, c0, r0 + values.length - 1, c0 + Math.max(cols, 1) - 1), updatedRows: values.length, updatedColumns: cols, updatedCells: values.reduce((n, v) => n + v.length, 0) });
      }
    }
    return sendJson(res, 404, gErr(404, `fake sheets: no route ${req.method} ${req.path}`, 'NOT_FOUND'));
  });

  return {
    ...srv,
    tokenUrl: `${srv.url}/token`,
    tokenRequests,
    setSheet(title, rows) {
      ensure(title).rows = rows.map((r) => r.map((c) => cellToString(c)));
    },
    getSheet(title) {
      const s = sheets.get(title);
      return s ? trimGrid(s.rows) : undefined;
    },
    deleteSheet: (title) => void sheets.delete(title),
    sheetTitles: () => [...sheets.keys()],
    failNext(status, body, headers, match) {
      queue.push({ status, body: body ?? defaultErrorBody(status), headers }, (r) => r.path !== '/token' && (!match || match(r)));
    },
    hangNext(ms, match) {
      queue.push(heldResponse(ms, defaultErrorBody(504)), (r) => r.path !== '/token' && (!match || match(r)));
    },
    failTokenNext() {
      tokenQueue.push({ status: 400, body: invalidGrant() });
    },
  };
}

/** Quote a sheet title for A1 use, e.g. a1('채널 목록', 'A1:F') → "'채널 목록'!A1:F". */
export function a1(sheetTitle: string, cells?: string): string {
  return cells ? `${quoteSheet(sheetTitle)}!${cells}` : quoteSheet(sheetTitle);
}
export { indexToCol };

/**
 * google-auth-library's JWT client always posts to https://oauth2.googleapis.com/token. This adds a
 * gaxios request interceptor to the client's transporter so those requests go to the fake instead.
 */
export function redirectTokenRequests(client: { transporter: { interceptors: { request: { add(i: { resolved?: (c: any) => any }): void } } } }, fakeUrl: string): void {
  client.transporter.interceptors.request.add({
    resolved: async (config: { url?: string | URL }) => {
      const u = String(config.url ?? '');
      // gaxios 8 keeps config.url as a URL object (its error redactor relies on that)
      if (u.startsWith('https://oauth2.googleapis.com/token')) config.url = typeof config.url === 'string' ? `${fakeUrl}/token` : new URL(`${fakeUrl}/token`);
      return config;
    },
  });
}
