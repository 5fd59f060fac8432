/**
 * The console's one way to call our JSON API (session cookie, no cache): errors become ApiError with the server's
 * code and message (`{error: {code, message}}`), or the HTTP status when the body says nothing.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type ApiInit = { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: unknown };

/** The status and the JSON body of a successful call; throws ApiError otherwise. */
export async function apiCall<T>(path: string, init: ApiInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: init.body !== undefined ? { 'content-type': 'application/json' } : undefined,
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    cache: 'no-store',
  });
  const body = (await res.json().catch(() => null)) as ({ error?: { code: string; message: string } } & T) | null;
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'internal', body?.error?.message ?? `HTTP ${res.status}`);
  return { status: res.status, body: body as T };
}

/** The JSON body of a successful call; throws ApiError otherwise. */
export async function api<T>(path: string, init: ApiInit = {}): Promise<T> {
  return (await apiCall<T>(path, init)).body;
}

export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; message: string };

/** The same call as a value instead of an exception, for forms that show the message inline. */
export async function tryApi<T>(path: string, init: ApiInit = {}): Promise<ApiResult<T>> {
  try {
    return { ok: true, ...(await apiCall<T>(path, init)) };
  } catch (err) {
    return { ok: false, status: err instanceof ApiError ? err.status : 0, message: (err as Error).message };
  }
}

/** tryApi with the method and body as arguments, as the channel console calls it. */
export function callApi<T>(path: string, method: NonNullable<ApiInit['method']> = 'GET', body?: unknown): Promise<ApiResult<T>> {
  return tryApi<T>(path, { method, body });
}
