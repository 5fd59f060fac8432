/** Small fetch helpers for the channel console: JSON in, `{ok, status, body}` or the API's error message out. */
export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; message: string };

export async function callApi<T>(path: string, method: 'GET' | 'POST' | 'PATCH' = 'GET', body?: unknown): Promise<ApiResult<T>> {
  try {
    const res = await fetch(path, {
      method,
      cache: 'no-store',
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) return { ok: false, status: res.status, message: json?.error?.message ?? `HTTP ${res.status}` };
    return { ok: true, status: res.status, body: json as T };
  } catch (err) {
    return { ok: false, status: 0, message: (err as Error).message };
  }
}
