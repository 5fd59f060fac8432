import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '@/src/server/config';

test('defaults: the app runs with no variables at all', () => {
  const c = loadConfig({});
  assert.equal(c.APP_ROLE, 'all');
  assert.equal(c.PORT, 3000);
  assert.equal(c.DATA_DIR, path.resolve('./data'));
  assert.equal(c.MODELS_DIR, path.join(path.resolve('./data'), 'models'));
  assert.equal(c.TZ, 'Asia/Seoul');
  assert.equal(c.DATABASE_URL, undefined);
  assert.equal(c.YOUTUBE_FEED_BASE_URL, 'https://www.youtube.com');
  // this machine only until told otherwise; X-Forwarded-For believed from no proxy
  assert.equal(c.HOST, '127.0.0.1');
  assert.equal(c.TRUST_PROXY_HOPS, 0);
  assert.equal(loadConfig({ HOST: '0.0.0.0' }).HOST, '0.0.0.0');
  assert.throws(() => loadConfig({ HOST: 'example.com' }), /HOST: expected an IP address or localhost/);
});

test('a wrong value names the variable and what is expected', () => {
  assert.throws(
    () => loadConfig({ APP_ROLE: 'boss', PORT: 'eighty', INFER_DEVICE: 'tpu' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      const vars = e.problems.map((p) => p.variable).sort();
      assert.deepEqual(vars, ['APP_ROLE', 'INFER_DEVICE', 'PORT']);
      assert.match(e.message, /APP_ROLE: expected all, web or worker/);
      assert.match(e.message, /INFER_DEVICE: expected cpu or cuda/);
      return true;
    },
  );
});

test('DATABASE_URL must be a postgres URL; empty values count as unset', () => {
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL: expected a postgres:\/\/ URL/);
  assert.equal(loadConfig({ DATABASE_URL: '' }).DATABASE_URL, undefined);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' }).DATABASE_URL, 'postgres://postgres@127.0.0.1:5432/x');
});

test('WORKER_QUEUES is a comma list; ALLOW_PRIVATE_URLS is a flag', () => {
  const c = loadConfig({ WORKER_QUEUES: 'video.media, window.visual', ALLOW_PRIVATE_URLS: '1' });
  assert.deepEqual(c.workerQueues, ['video.media', 'window.visual']);
  assert.equal(c.ALLOW_PRIVATE_URLS, true);
  assert.throws(() => loadConfig({ ALLOW_PRIVATE_URLS: 'maybe' }), /ALLOW_PRIVATE_URLS/);
});

test('API_TOKEN and ADMIN_PASSWORD have minimum lengths', () => {
  assert.throws(() => loadConfig({ API_TOKEN: 'short' }), /API_TOKEN: expected at least 16 characters/);
  assert.throws(() => loadConfig({ ADMIN_PASSWORD: '123' }), /ADMIN_PASSWORD/);
});

test('MODELS_AUTO_FETCH: all by default (a plain npm start fetches both models), detector, off; true/false accepted', () => {
  assert.equal(loadConfig({}).MODELS_AUTO_FETCH, 'all');
  assert.equal(loadConfig({}).MODELS_STALL_TIMEOUT_SEC, 60);
  assert.equal(loadConfig({ MODELS_AUTO_FETCH: 'false' }).MODELS_AUTO_FETCH, 'off');
  assert.equal(loadConfig({ MODELS_AUTO_FETCH: 'TRUE' }).MODELS_AUTO_FETCH, 'all');
  assert.equal(loadConfig({ MODELS_AUTO_FETCH: 'detector' }).MODELS_AUTO_FETCH, 'detector');
  assert.throws(() => loadConfig({ MODELS_AUTO_FETCH: 'whisper' }), /MODELS_AUTO_FETCH: expected all, detector or off/);
  assert.throws(() => loadConfig({ MODELS_STALL_TIMEOUT_SEC: '0' }), /MODELS_STALL_TIMEOUT_SEC: expected at least 1/);
});
