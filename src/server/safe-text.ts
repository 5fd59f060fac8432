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

/** A path inside a value, innermost key first: cheap to extend at every level, so deep nesting costs no copying. */
type PathLink = { key: string; up: PathLink } | null;
const pathOf = (link: PathLink, base: string[]): string[] => {
  const keys: string[] = [];
  for (let l = link; l; l = l.up) keys.push(l.key);
  return [...base, ...keys.reverse()];
};

/**
 * Where the first unstorable string (or object key) sits in a parsed JSON value, as a path; null when there is none.
 * Walks with its own stack, not recursion: a body nested 100,000 levels deep (JSON.parse accepts it) is checked instead
 * of overflowing the call stack (which was a 500).
 */
export function findUnsafeText(value: unknown, path: string[] = []): string[] | null {
  type Task = { value: unknown; at: PathLink; key?: undefined } | { key: string; at: PathLink };
  const todo: Task[] = [{ value, at: null }];
  while (todo.length) {
    const task = todo.pop()!;
    if (task.key !== undefined) {
      if (!isSafeText(task.key)) return pathOf({ key: printable(task.key), up: task.at }, path);
      continue;
    }
    const v = (task as { value: unknown }).value;
    if (typeof v === 'string') {
      if (!isSafeText(v)) return pathOf(task.at, path);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) todo.push({ value: v[i], at: { key: String(i), up: task.at } });
    } else if (v && typeof v === 'object') {
      // Pushed in reverse so each key is checked, then its value, in order (the first problem is the one reported).
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, x] = entries[i];
        todo.push({ value: x, at: { key, up: task.at } });
        todo.push({ key, at: task.at });
      }
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
