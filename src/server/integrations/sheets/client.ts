import { google, type sheets_v4 } from 'googleapis';
import { z } from 'zod';
import { getConfig } from '@/src/server/config';
import { DomainError } from '@/src/server/errors';
import { IntegrationError, isRetryableStatus, parseRetryAfter, parseRetryInfo } from '@/src/server/integrations/errors';
import { callExternal } from '@/src/server/integrations/policy';

/**
 * Google Sheets v4 with a service account (GOOGLE_SERVICE_ACCOUNT_JSON: the key file's JSON). rootUrl comes from
 * GOOGLE_API_ROOT_URL when set. The key file's `token_uri` is honoured (google-auth-library always posts to
 * oauth2.googleapis.com), so a proxy or a test server can issue tokens. Every call goes through the policy layer.
 */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const SCOPES = ['https://www.googleapis.com/auth/spreadsheets'];

const serviceAccount = z.object({
  client_email: z.string().email(),
  private_key: z.string().min(1),
  token_uri: z.string().url().optional(),
});

export type SheetsClient = {
  spreadsheetId: string;
  /** Titles of the spreadsheet's tabs. */
  sheetTitles(): Promise<string[]>;
  addSheet(title: string): Promise<void>;
  /** Rows of a range (trailing empty cells omitted, like the API). */
  getValues(range: string): Promise<string[][]>;
  /** Writes several ranges in one call (RAW values). */
  batchUpdate(data: { range: string; values: (string | number | boolean)[][] }[]): Promise<number>;
};

/** `'시트 이름'!A1:Z`: sheet names are always quoted (Korean, spaces, apostrophes doubled). */
export function a1(sheet: string, range?: string): string {
  const quoted = `'${sheet.replace(/'/g, "''")}'`;
  return range ? `${quoted}!${range}` : quoted;
}

/** Column index (0-based) → A, B, …, Z, AA, … */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function sheetsConfigured(): { configured: boolean; missing: string[] } {
  const c = getConfig();
  const missing = [
    !c.GOOGLE_SERVICE_ACCOUNT_JSON ? 'GOOGLE_SERVICE_ACCOUNT_JSON' : null,
    !c.SHEETS_SPREADSHEET_ID ? 'SHEETS_SPREADSHEET_ID' : null,
  ].filter((v): v is string => v !== null);
  return { configured: missing.length === 0, missing };
}

/** Maps a googleapis (gaxios) error to IntegrationError: 429/5xx retryable with Retry-After/RetryInfo; others not. */
function toIntegrationError(operation: string, err: unknown): unknown {
  const e = err as { status?: number; response?: { status?: number; data?: unknown; headers?: Record<string, string> | Headers }; message?: string };
  const status = e.status ?? e.response?.status;
  if (typeof status !== 'number') return err;
  const headers = e.response?.headers;
  const retryAfter =
    headers && typeof (headers as Headers).get === 'function'
      ? (headers as Headers).get('retry-after')
      : (headers as Record<string, string> | undefined)?.['retry-after'];
  const data = e.response?.data as { error?: { message?: string; status?: string } } | undefined;
  const detail = data?.error?.message ?? e.message ?? '';
  return new IntegrationError(
    {
      provider: 'sheets',
      operation,
      status,
      retryable: isRetryableStatus(status),
      retryAfterMs: parseRetryAfter(retryAfter ?? null) ?? parseRetryInfo(data),
      code: data?.error?.status ?? `http_${status}`,
      cause: err,
    },
    `Google Sheets ${operation} failed with HTTP ${status}: ${String(detail).slice(0, 200)}`,
  );
}

/** Validates an answer's body: a body that is not what the API returns is a clear, permanent failure naming Sheets. */
function parseBody<S extends z.ZodType>(operation: string, schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new IntegrationError(
    { provider: 'sheets', operation, retryable: false, code: 'bad_response' },
    `Google Sheets ${operation} answered with an unexpected body (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`,
  );
}

/** Builds the client from config; DomainError('not_configured') naming the missing variables. */
export function createSheetsClient(): SheetsClient {
  const c = getConfig();
  const { configured, missing } = sheetsConfigured();
  if (!configured) {
    throw new DomainError('not_configured', `Google Sheets is not configured: set ${missing.join(' and ')}.`);
  }
  let key: z.infer<typeof serviceAccount>;
  try {
    key = serviceAccount.parse(JSON.parse(c.GOOGLE_SERVICE_ACCOUNT_JSON!));
  } catch {
    throw new DomainError(
      'not_configured',
      'GOOGLE_SERVICE_ACCOUNT_JSON is not a service-account key (expected JSON with client_email and private_key).',
    );
  }
  const auth = new google.auth.JWT({ email: key.client_email, key: key.private_key, scopes: SCOPES });
  if (key.token_uri && key.token_uri !== GOOGLE_TOKEN_URL) {
    const tokenUri = key.token_uri;
    auth.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (String(config.url ?? '').startsWith(GOOGLE_TOKEN_URL)) {
          config.url = (typeof config.url === 'string' ? tokenUri : new URL(tokenUri)) as typeof config.url;
        }
        return config;
      },
    });
  }
  const api: sheets_v4.Sheets = google.sheets({
    version: 'v4',
    auth,
    ...(c.GOOGLE_API_ROOT_URL ? { rootUrl: c.GOOGLE_API_ROOT_URL.replace(/\/?$/, '/') } : {}),
  });
  const spreadsheetId = c.SHEETS_SPREADSHEET_ID!;

  /** The one place a Sheets call is made: policy (timeout, retry, breaker, api_usage) + error mapping. */
  async function request<T>(operation: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return callExternal({ provider: 'sheets', operation, units: 1 }, async (signal) => {
      try {
        return await fn(signal);
      } catch (err) {
        throw toIntegrationError(operation, err);
      }
    });
  }

  return {
    spreadsheetId,
    async sheetTitles() {
      const res = await request('spreadsheets.get', (signal) =>
        api.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties.title' }, { retry: false, signal }),
      );
      return parseBody(
        'spreadsheets.get',
        z.object({ sheets: z.array(z.object({ properties: z.object({ title: z.string() }).optional() })).optional() }),
        res.data,
      ).sheets?.map((s) => s.properties?.title ?? '')
        .filter(Boolean) ?? [];
    },
    async addSheet(title) {
      await request('spreadsheets.batchUpdate', (signal) =>
        api.spreadsheets.batchUpdate(
          { spreadsheetId, requestBody: { requests: [{ addSheet: { properties: { title } } }] } },
          { retry: false, signal },
        ),
      );
    },
    async getValues(range) {
      const res = await request('values.get', (signal) =>
        api.spreadsheets.values.get({ spreadsheetId, range, majorDimension: 'ROWS' }, { retry: false, signal }),
      );
      const values = parseBody('values.get', z.object({ values: z.array(z.array(z.unknown())).optional() }), res.data).values ?? [];
      return values.map((r) => r.map((v) => (v === null || v === undefined ? '' : String(v))));
    },
    async batchUpdate(data) {
      if (data.length === 0) return 0;
      const res = await request('values.batchUpdate', (signal) =>
        api.spreadsheets.values.batchUpdate(
          { spreadsheetId, requestBody: { valueInputOption: 'RAW', data } },
          { retry: false, signal },
        ),
      );
      return parseBody('values.batchUpdate', z.object({ totalUpdatedCells: z.number().optional() }), res.data).totalUpdatedCells ?? 0;
    },
  };
}
