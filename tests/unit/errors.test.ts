import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { errorMessage, withoutQueryValues } from '@/src/server/errors';

test('errorMessage gives the database reason of a failed query and never its parameter values', () => {
  const cause = new Error('deadlock detected');
  const err = new DrizzleQueryError('update "api_tokens" set "hash" = $1', ['secret-token-hash'], cause);
  const msg = errorMessage(err);
  assert.match(msg, /^deadlock detected \(in: update "api_tokens"/);
  assert.ok(!msg.includes('secret-token-hash'), msg);
  assert.equal(errorMessage(new Error('plain')), 'plain');
  assert.equal(errorMessage('text'), 'text');
});

test('a failed query handed to pg-boss keeps its reason and code but not its values, in message or stack', () => {
  const cause = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
  const err = new DrizzleQueryError('insert into "users" ("password_hash") values ($1)', ['scrypt$16384$secret-hash'], cause);
  const stored = withoutQueryValues(err) as Error & { code?: string };
  assert.ok(!JSON.stringify({ message: stored.message, stack: stored.stack }).includes('secret-hash'));
  assert.match(stored.message, /duplicate key value/);
  assert.equal(stored.code, '23505');
  const other = new Error('plain');
  assert.equal(withoutQueryValues(other), other);
});
