import { actionOf, errorText } from './error-text';

/**
 * The console's one way to call our JSON API (session cookie, no cache). A failed call becomes ApiError with the
 * server's code, field and message (`{error: {code, message, field?}}`) and `text`, the Korean message for the
 * operator chosen by the code (app/_lib/error-text.ts): show `text`, never `message` (developer wording).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** What the operator reads: Korean, with what to do next. */
    readonly text: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export type ApiInit = { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: unknown };

/** The status and the JSON body of a successful call; throws ApiError otherwise. */
export async function apiCall<T>(path: string, init: ApiInit = {}): Promise<{ status: number; body: T }> {
  const method = init.method ?? 'GET';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: init.body !== undefined ? { 'content-type': 'application/json' } : undefined,
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      cache: 'no-store',
    });
  } catch (err) {
    throw new ApiError(0, 'network', (err as Error).message, errorText({ status: 0, code: 'network' }));
  }
  const body = (await res.json().catch(() => null)) as ({ error?: { code: string; message: string; field?: string } } & T) | null;
  if (!res.ok) {
    const code = body?.error?.code ?? 'internal';
    const field = body?.error?.field;
    throw new ApiError(res.status, code, body?.error?.message ?? `HTTP ${res.status}`, errorText({ status: res.status, code, field }, actionOf(method, path)), field);
  }
  return { status: res.status, body: body as T };
}

/** The JSON body of a successful call; throws ApiError otherwise. */
export async function api<T>(path: string, init: ApiInit = {}): Promise<T> {
  return (await apiCall<T>(path, init)).body;
}

/** A failure as a value: `message` is the Korean text for the operator, `detail` the server's developer wording. */
export type ApiResult<T> =
  | { ok: true; status: number; body: T }
  | { ok: false; status: number; code: string; field?: string; message: string; detail: string };

/** The same call as a value instead of an exception, for forms that show the message inline. */
export async function tryApi<T>(path: string, init: ApiInit = {}): Promise<ApiResult<T>> {
  try {
    return { ok: true, ...(await apiCall<T>(path, init)) };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, status: err.status, code: err.code, field: err.field, message: err.text, detail: err.message };
    return { ok: false, status: 0, code: 'internal', message: errorText({ status: 500, code: 'internal' }), detail: String(err) };
  }
}

/** tryApi with the method and body as arguments, as the channel console calls it. */
export function callApi<T>(path: string, method: NonNullable<ApiInit['method']> = 'GET', body?: unknown): Promise<ApiResult<T>> {
  return tryApi<T>(path, { method, body });
}

/** The Korean text of any error thrown by an API helper (ApiError.text), or the generic message otherwise. */
export function errorTextOf(err: unknown): string {
  return err instanceof ApiError ? err.text : errorText({ status: 500, code: 'internal' });
}
