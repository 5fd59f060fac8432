import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { errorMessage } from '@/src/server/errors';

test('errorMessage gives the database reason of a failed query and never its parameter values', () => {
  const cause = new Error('deadlock detected');
  const err = new DrizzleQueryError('update "api_tokens" set "hash" = $1', ['secret-token-hash'], cause);
  const msg = errorMessage(err);
  assert.match(msg, /^deadlock detected \(in: update "api_tokens"/);
  assert.ok(!msg.includes('secret-token-hash'), msg);
  assert.equal(errorMessage(new Error('plain')), 'plain');
  assert.equal(errorMessage('text'), 'text');
});
