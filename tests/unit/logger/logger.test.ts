import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger, scrubSecrets } from '@/src/server/logger';

/** Captures every line a logger writes. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream };
}

const KEY = 'AIzaSyD-test-gemini-key-0123456789abcdef';

test('a log line written while a Gemini key is configured never contains the key', () => {
  const saved = process.env.GEMINI_API_KEY;
  process.env.GEMINI_API_KEY = KEY;
  try {
    const { lines, stream } = capture();
    const log = createLogger(stream, 'trace');
    log.info({ videoId: '7', url: `https://generativelanguage.googleapis.com/v1beta/models/x:generateContent?key=${KEY}` }, 'calling gemini');
    log.error({ err: new Error(`request failed for key ${KEY}`) }, 'gemini failed');
    log.warn({ headers: { 'x-goog-api-key': KEY } }, `retrying with ${KEY}`);
    log.info({ nested: { deeper: { note: `k=${KEY}` } } }, 'nested');
    assert.equal(lines.length, 4);
    for (const line of lines) {
      assert.equal(line.includes(KEY), false, line);
      assert.equal(line.includes('AIzaSyD-test'), false, line);
    }
    assert.match(lines[0], /"videoId":"7"/, 'ids stay in the line');
    assert.match(lines[0], /\[REDACTED\]/);
  } finally {
    if (saved === undefined) delete process.env.GEMINI_API_KEY;
    else process.env.GEMINI_API_KEY = saved;
  }
});

test('tokens, cookies, passwords and authorization headers are redacted by key', () => {
  const { lines, stream } = capture();
  const log = createLogger(stream, 'trace');
  log.info(
    {
      password: 'hunter2-password',
      token: 'tok-123456',
      user: { password: 'pw-inner-1', email: 'a@example.com' },
      headers: { authorization: 'Bearer very-secret-bearer', cookie: 'ii_session=abcdef' },
      req: { headers: { authorization: 'Bearer another-secret', cookie: 'ii_session=zzz' } },
    },
    'request',
  );
  const line = lines[0];
  for (const secret of ['hunter2-password', 'tok-123456', 'pw-inner-1', 'very-secret-bearer', 'ii_session=abcdef', 'another-secret', 'ii_session=zzz']) {
    assert.equal(line.includes(secret), false, `${secret} leaked: ${line}`);
  }
  assert.match(line, /a@example\.com/);
});

test('a configured Slack webhook or API token in free text is scrubbed; query-string keys too', () => {
  const hook = 'https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX';
  assert.equal(scrubSecrets(`posting to ${hook} failed`, [hook]), 'posting to [REDACTED] failed');
  assert.equal(scrubSecrets('GET /x?access_token=abc&key=def&q=1', []), 'GET /x?access_token=[REDACTED]&key=[REDACTED]&q=1');
});

test('the service account private key never reaches a log line', () => {
  const saved = process.env.GOOGLE_SERVICE_ACCOUNT_JSON;
  const pk = '-----BEGIN PRIVATE KEY-----\\nMIIEsecretsecretsecret\\n-----END PRIVATE KEY-----\\n';
  process.env.GOOGLE_SERVICE_ACCOUNT_JSON = JSON.stringify({ client_email: 'x@y.iam.gserviceaccount.com', private_key: pk });
  try {
    const { lines, stream } = capture();
    const log = createLogger(stream, 'trace');
    log.error({ credentials: { private_key: pk } }, `could not sign with ${pk}`);
    assert.equal(lines[0].includes('MIIEsecretsecretsecret'), false, lines[0]);
  } finally {
    if (saved === undefined) delete process.env.GOOGLE_SERVICE_ACCOUNT_JSON;
    else process.env.GOOGLE_SERVICE_ACCOUNT_JSON = saved;
  }
});
