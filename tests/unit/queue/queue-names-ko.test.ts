import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ko } from '@/app/_i18n/ko';
import { jobNames } from '@/src/server/queue/jobs';

test('every queue has a Korean name for 운영 (a new step cannot show its raw name to operators)', () => {
  const missing = jobNames.filter((name) => !ko.operations.queueNames[name]);
  assert.deepEqual(missing, []);
});
