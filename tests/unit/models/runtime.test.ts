import assert from 'node:assert/strict';
import { test } from 'node:test';

process.env.LOG_LEVEL ??= 'warn';
const { loadOnce, executionProviders, cachedModelKeys, evictModels } = await import('@/src/models/runtime');

test('concurrent callers share one load promise; the cache lives on globalThis', async () => {
  let loads = 0;
  const load = async () => {
    loads++;
    await new Promise((r) => setTimeout(r, 20));
    return { id: loads };
  };
  const [a, b, c] = await Promise.all([
    loadOnce('t', '/m/a.onnx', load),
    loadOnce('t', '/m/a.onnx', load),
    loadOnce('t', '/m/a.onnx', load),
  ]);
  assert.equal(loads, 1);
  assert.equal(a, b);
  assert.equal(b, c);
  assert.ok(cachedModelKeys().includes('t:/m/a.onnx:cpu'));
  const other = await loadOnce('t', '/m/b.onnx', load);
  assert.equal(loads, 2, 'another model path is another load');
  assert.notEqual(other, a);
  await evictModels((k) => k.startsWith('t:'));
  assert.equal(cachedModelKeys().filter((k) => k.startsWith('t:')).length, 0);
});

test('a failed load is not cached, the next call retries', async () => {
  let calls = 0;
  const flaky = async () => {
    calls++;
    if (calls === 1) throw new Error('boom');
    return 'ok';
  };
  await assert.rejects(loadOnce('f', '/m/x.onnx', flaky), /boom/);
  assert.equal(await loadOnce('f', '/m/x.onnx', flaky), 'ok');
  assert.equal(calls, 2);
});

test('execution providers follow the device', () => {
  assert.deepEqual(executionProviders('cuda'), ['cuda', 'cpu']);
  assert.deepEqual(executionProviders('cpu'), ['cpu']);
});
