import { DomainError } from '@/src/server/errors';
import type { CandidateSort } from './schemas';

/**
 * Keyset cursor: the sort key, the order, the sort value of the last row (null for rows without one) and its id,
 * base64url-encoded JSON. It is opaque to clients; a cursor made for another sort is refused.
 */
export type CursorValue = string | number | null;
export type Cursor = { s: CandidateSort; o: 'asc' | 'desc'; v: CursorValue; id: number };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.s, c.o, c.v, c.id]), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string, sort: CandidateSort, order: 'asc' | 'desc'): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new DomainError('bad_request', 'cursor is not valid; start again from the first page.', 'cursor');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    typeof parsed[3] !== 'number' ||
    !Number.isSafeInteger(parsed[3]) ||
    !(parsed[2] === null || typeof parsed[2] === 'string' || typeof parsed[2] === 'number')
  ) {
    throw new DomainError('bad_request', 'cursor is not valid; start again from the first page.', 'cursor');
  }
  if (parsed[0] !== sort || parsed[1] !== order) {
    throw new DomainError('bad_request', 'cursor belongs to another sort or order; start again from the first page.', 'cursor');
  }
  return { s: sort, o: order, v: parsed[2], id: parsed[3] };
}
