/**
 * The one error every external-service client throws for a failed call. `retryable` decides whether the policy layer
 * (policy.ts) tries again; `retryAfterMs` (from Retry-After or Google's RetryInfo) is the least it waits before doing so.
 */
export type Provider = 'gemini' | 'coupang' | 'youtube' | 'youtube_feed' | 'sheets' | 'slack' | 'media';

export const providers: readonly Provider[] = ['gemini', 'coupang', 'youtube', 'youtube_feed', 'sheets', 'slack', 'media'];

export type IntegrationErrorInit = {
  provider: Provider;
  operation: string;
  status?: number;
  retryable: boolean;
  retryAfterMs?: number;
  /** Short machine-readable reason, e.g. 'timeout', 'circuit_open', 'network', or the provider's error code. */
  code?: string;
  cause?: unknown;
};

export class IntegrationError extends Error {
  readonly provider: Provider;
  readonly operation: string;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly code?: string;

  constructor(init: IntegrationErrorInit, message: string) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'IntegrationError';
    this.provider = init.provider;
    this.operation = init.operation;
    this.status = init.status;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.code = init.code;
  }
}

/** HTTP statuses worth retrying: rate limits, timeouts and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * Parses an HTTP Retry-After header (delta-seconds or an HTTP date) into milliseconds.
 * Returns undefined for a missing or unreadable value.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Parses a google.rpc.RetryInfo `retryDelay` ("13s", "1.5s") into milliseconds. Accepts the whole error body
 * (`{error: {details: [{'@type': '…RetryInfo', retryDelay}]}}`) or the delay string itself.
 */
export function parseRetryInfo(body: unknown): number | undefined {
  const fromString = (s: string) => {
    const m = /^(\d+(?:\.\d+)?)s$/.exec(s.trim());
    return m ? Math.round(Number(m[1]) * 1000) : undefined;
  };
  if (typeof body === 'string') {
    const direct = fromString(body);
    if (direct !== undefined) return direct;
    try {
      return parseRetryInfo(JSON.parse(body));
    } catch {
      const m = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?s)"/.exec(body);
      return m ? fromString(m[1]) : undefined;
    }
  }
  if (!body || typeof body !== 'object') return undefined;
  const err = (body as { error?: unknown }).error ?? body;
  const details = (err as { details?: unknown }).details;
  if (!Array.isArray(details)) return undefined;
  for (const d of details) {
    if (d && typeof d === 'object' && String((d as Record<string, unknown>)['@type'] ?? '').endsWith('RetryInfo')) {
      const delay = (d as { retryDelay?: unknown }).retryDelay;
      if (typeof delay === 'string') return fromString(delay);
    }
  }
  return undefined;
}

/**
 * Builds an IntegrationError from a non-2xx fetch Response: retryable for 408/425/429/5xx, Retry-After honoured.
 * `detail` is a short, secret-free description (e.g. the provider's error code or the first bytes of the body).
 */
export function errorFromResponse(
  provider: Provider,
  operation: string,
  res: { status: number; headers: { get(name: string): string | null } },
  detail?: string,
): IntegrationError {
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
  const text = detail ? `: ${detail.slice(0, 200)}` : '';
  return new IntegrationError(
    { provider, operation, status: res.status, retryable: isRetryableStatus(res.status), retryAfterMs, code: `http_${res.status}` },
    `${provider} ${operation} failed with HTTP ${res.status}${text}`,
  );
}
