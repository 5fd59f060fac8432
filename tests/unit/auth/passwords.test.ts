import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatePassword, hashPassword, verifyPassword } from '@/src/server/auth/passwords';

test('a password verifies against its own hash only', async () => {
  const h = await hashPassword('correct horse');
  assert.match(h, /^scrypt\$16384\$8\$1\$/);
  assert.equal(await verifyPassword('correct horse', h), true);
  assert.equal(await verifyPassword('correct horsf', h), false);
  assert.notEqual(await hashPassword('correct horse'), h, 'salted');
});

test('a malformed stored hash never verifies', async () => {
  assert.equal(await verifyPassword('x', 'plain-text'), false);
});

test('generated passwords are long and random', () => {
  const a = generatePassword();
  assert.ok(a.length >= 16);
  assert.notEqual(a, generatePassword());
});
