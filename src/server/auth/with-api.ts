import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { ZodError, type z } from 'zod';
import { whenReady } from '@/src/server/ready';
import { DomainError } from '@/src/server/errors';
import { IntegrationError } from '@/src/server/integrations/errors';
import { log } from '@/src/server/logger';
import { assertSafeText } from '@/src/server/safe-text';
import { principalFromBearer, SESSION_COOKIE, userFromSession, type Principal } from './index';
import { isSameOrigin } from './same-origin';

export type ApiContext<B, Q> = { req: Request; principal: Principal; body: B; query: Q; params: Record<string, string> };

/** `{error: {code, message, field?}}` with the status the code implies; an external service's failure is a 502; unknown errors are a bare 500. */
export function toHttpError(err: unknown): NextResponse {
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    const field = issue?.path.join('.') || undefined;
    return NextResponse.json(
      { error: { code: 'bad_request', message: field ? `${field}: ${issue.message}` : issue?.message ?? 'invalid input', field } },
      { status: 400 },
    );
  }
  if (err instanceof DomainError) {
    return NextResponse.json({ error: { code: err.code, message: err.message, field: err.field } }, { status: err.status });
  }
  if (err instanceof IntegrationError) {
    // an external service failed and the route did not say what that means for its caller: the service's fault, not
    // ours (502), with when to come back if it told us (Retry-After); the message names the service, never a secret
    log.warn({ provider: err.provider, operation: err.operation, status: err.status, err: err.message }, 'external service failed during an API request');
    const headers = err.retryAfterMs ? { 'retry-after': String(Math.ceil(err.retryAfterMs / 1000)) } : undefined;
    return NextResponse.json({ error: { code: 'upstream_failed', message: `${err.provider} failed: ${err.message}` } }, { status: 502, headers });
  }
  log.error({ err }, 'unhandled API error');
  return NextResponse.json({ error: { code: 'internal', message: 'Internal error; see the server log.' } }, { status: 500 });
}

/** Resolves the caller from a Bearer token or the session cookie. */
export async function authenticate(req: Request): Promise<Principal | null> {
  const header = req.headers.get('authorization');
  if (header) {
    const m = /^Bearer\s+(.+)$/i.exec(header);
    return principalFromBearer(m?.[1]?.trim());
  }
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return userFromSession(token);
}

/**
 * Wraps a route handler: starts the app if needed, authenticates (Bearer or session; cookie-authenticated writes
 * must come from our own origin), refuses unstorable text in params, query and body, parses body and query with the
 * given schemas, and maps every error through toHttpError.
 */
export function withApi<BS extends z.ZodType = z.ZodUndefined, QS extends z.ZodType = z.ZodUndefined>(
  opts: { body?: BS; query?: QS; public?: boolean },
  handler: (ctx: ApiContext<z.infer<BS>, z.infer<QS>>) => Promise<Response>,
) {
  return async (req: Request, route: { params: Promise<Record<string, string>> }) => {
    try {
      await whenReady();
      const principal = await authenticate(req);
      if (!principal) {
        return NextResponse.json(
          { error: { code: 'unauthorized', message: 'Sign in, or send Authorization: Bearer <API token>.' } },
          { status: 401 },
        );
      }
      if (principal.kind === 'session' && req.method !== 'GET' && req.method !== 'HEAD' && !isSameOrigin(req)) {
        throw new DomainError('forbidden', 'Cross-site request refused.');
      }
      // A read-scoped token reads; review and admin tokens write (admin-only routes check requireAdmin themselves).
      if (principal.kind === 'token' && principal.scope === 'read' && req.method !== 'GET' && req.method !== 'HEAD') {
        throw new DomainError('forbidden', 'This API token may only read (scope read); create a review or admin token to make changes.');
      }
      // Every path parameter, query parameter and JSON body is checked for text Postgres cannot store, here once
      // rather than in each schema.
      const params = (await route?.params) ?? {};
      assertSafeText(params);
      const url = new URL(req.url);
      for (const [key, value] of url.searchParams) assertSafeText({ [key]: value });
      const query = opts.query ? opts.query.parse(Object.fromEntries(url.searchParams)) : undefined;
      let body: unknown;
      if (opts.body) {
        let raw: unknown;
        try {
          raw = await req.json();
        } catch {
          throw new DomainError('bad_request', 'The request body must be JSON.');
        }
        assertSafeText(raw);
        body = opts.body.parse(raw);
      }
      return await handler({ req, principal, body: body as z.infer<BS>, query: query as z.infer<QS>, params });
    } catch (err) {
      return toHttpError(err);
    }
  };
}
