import type { DrizzleQueryError } from 'drizzle-orm/errors';
/**
 * One error type for everything the operator or an API client can act on. The code decides the HTTP status;
 * the message says what happened and what to do.
 */
export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  payload_too_large: 413,
  /** The request is fine, but this server has nothing to analyse it with (no yt-dlp and no Gemini key for a YouTube
   * URL; no captions and no speech recognition for an upload): the message says what to install or configure. */
  cannot_analyze: 422,
  /** The server's disk is full (ENOSPC): nothing the client sent is wrong; it can retry once space is freed. */
  insufficient_storage: 507,
  rate_limited: 429,
  not_configured: 503,
  upstream_failed: 502,
  budget_exhausted: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);

/**
 * drizzle's failed-query error, whose message is "Failed query: <sql>\nparams: <values>". Recognised by shape: the
 * production build bundles drizzle into several module instances (and minifies the class name), so `instanceof`
 * misses errors thrown by another instance.
 */
export function isQueryError(err: unknown): err is DrizzleQueryError {
  return err instanceof Error && typeof (err as DrizzleQueryError).query === 'string' && Array.isArray((err as DrizzleQueryError).params);
}

/**
 * The error as it may be stored outside our logs (pg-boss keeps a failed job's error, message and stack, in its table
 * and shows it on 운영): a failed query becomes a plain Error with errorMessage's text, so the statement's values
 * (tokens, hashes, user text) are not kept; anything else is returned as it is.
 */
export function withoutQueryValues(err: unknown): unknown {
  if (!isQueryError(err)) return err;
  const clean = new Error(errorMessage(err));
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') Object.assign(clean, { code });
  return clean;
}

export function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // The reason of a failed query is in its cause, and the values (tokens, hashes, user text) must not reach logs or
  // the console.
  if (isQueryError(err) && err.cause instanceof Error) return `${err.cause.message} (in: ${err.query.slice(0, 160)})`;
  return err.message;
}
