/**
 * Coupang Partners request signing (CEA HMAC). The message is `signedDate + METHOD + path + query`, where `query` is
 * byte-identical to what goes on the wire after the '?' ('' when there is none) and the body is never signed:
 * build the URL once, then sign its `pathname` and `search.slice(1)` so the two cannot drift apart.
 */
import { createHmac } from 'node:crypto';
import { DomainError } from '@/src/server/errors';

export interface CoupangSignInput {
  method: string;
  /** Path as sent, starting with '/', without the query. */
  path: string;
  /** Query exactly as sent, without the leading '?'; '' or undefined when there is none. */
  query?: string;
  accessKey: string;
  secretKey: string;
  /** Signing time; defaults to now. Coupang rejects signatures too far from its clock. */
  date?: Date;
}

export interface CoupangSignature {
  authorization: string;
  /** yyMMdd'T'HHmmss'Z' in UTC. */
  signedDate: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** 2025-01-01T00:00:00Z → "250101T000000Z". */
export function formatSignedDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new DomainError('bad_request', 'Coupang signing date is invalid', 'date');
  return (
    pad(date.getUTCFullYear() % 100) +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    'T' +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds()) +
    'Z'
  );
}

export function signCoupangRequest(input: CoupangSignInput): CoupangSignature {
  const method = input.method.toUpperCase();
  const query = input.query ?? '';
  if (!input.path.startsWith('/')) {
    throw new DomainError('bad_request', `Coupang request path must start with "/", got "${input.path}"`, 'path');
  }
  if (query.startsWith('?')) {
    throw new DomainError('bad_request', 'Coupang query must be given without the leading "?"', 'query');
  }
  if (!input.accessKey || !input.secretKey) {
    throw new DomainError('not_configured', 'Coupang access key and secret key are required to sign requests');
  }
  const signedDate = formatSignedDate(input.date ?? new Date());
  const signature = createHmac('sha256', input.secretKey)
    .update(signedDate + method + input.path + query, 'utf8')
    .digest('hex');
  return {
    signedDate,
    authorization: `CEA algorithm=HmacSHA256, access-key=${input.accessKey}, signed-date=${signedDate}, signature=${signature}`,
  };
}
