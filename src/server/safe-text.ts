import { DomainError } from '@/src/server/errors';

/**
 * Text Postgres cannot store: NUL (text columns and jsonb both refuse it) and UTF-16 surrogates without their pair
 * (jsonb refuses the escape; in text they would silently turn into U+FFFD). Inputs are checked at the edge so the
 * caller gets a 400 naming the field instead of a 500 from deep inside an insert.
 */
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

export const isSafeText = (text: string): boolean => !UNSAFE.test(text);

/** A key shown in an error message, with the offending characters escaped. */
const printable = (key: string) => key.replace(UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Where the first unstorable string (or object key) sits in a parsed JSON value, as a path; null when there is none. */
export function findUnsafeText(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return isSafeText(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (!isSafeText(key)) return [...path, printable(key)];
      const found = findUnsafeText(v, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** Throws a 400 `bad_request` naming the field (`field` prefixed to the path inside `value`) when text is unstorable. */
export function assertSafeText(value: unknown, field?: string): void {
  const found = findUnsafeText(value);
  if (!found) return;
  const name = [field, ...found].filter((p) => p !== undefined && p !== '').join('.');
  const message = 'must not contain NUL (\\u0000) or unpaired UTF-16 surrogate characters';
  throw new DomainError('bad_request', name ? `${name}: ${message}` : `The input ${message}.`, name || undefined);
}
