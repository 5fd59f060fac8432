import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { resetConfig } from '@/src/server/config';
import { getDb, startDatabase, stopDatabase } from '@/src/server/db';
import { IntegrationError, parseRetryAfter, parseRetryInfo } from '@/src/server/integrations/errors';
import { breakerStates, callExternal, configureProvider, recordUsage, resetPolicies } from '@/src/server/integrations/policy';
import { createTestDatabase } from '../../helpers/db';

let db: { url: string; drop(): Promise<void> };

before(async () => {
  db = await createTestDatabase('policy');
  process.env.DATABASE_URL = db.url;
  resetConfig();
  await startDatabase();
});
after(async () => {
  await stopDatabase();
  await db?.drop();
});
beforeEach(async () => {
  resetPolicies();
  await getDb().execute(sql`DELETE FROM api_usage`);
});

const unavailable = (op = 'search') =>
  new IntegrationError({ provider: 'coupang', operation: op, status: 503, retryable: true }, 'coupang search failed with HTTP 503');

async function usageRows() {
  const r = await getDb().execute<{ outcome: string; http_status: number | null; units: number; error: string | null }>(
    sql`SELECT outcome, http_status, units, error FROM api_usage ORDER BY id`,
  );
  return r.rows;
}

const breakerOf = (p: string) => breakerStates().find((b) => b.provider === p)!;

test('a provider failing N times opens its breaker, then calls fail fast without reaching it', async () => {
  configureProvider('coupang', { breakerThreshold: 3, halfOpenAfterMs: 400, retries: 0 });
  let calls = 0;
  const failing = async () => {
    calls++;
    throw unavailable();
  };
  for (let i = 0; i < 3; i++) {
    await assert.rejects(callExternal({ provider: 'coupang', operation: 'search', units: 1 }, failing), /HTTP 503/);
  }
  assert.equal(calls, 3);
  assert.equal(breakerOf('coupang').state, 'open');
  assert.ok(breakerOf('coupang').retryAt, 'open breaker says when it tries again');
  assert.match(breakerOf('coupang').lastFailure ?? '', /503/);

  const t0 = Date.now();
  await assert.rejects(
    callExternal({ provider: 'coupang', operation: 'search' }, failing),
    (err: unknown) => err instanceof IntegrationError && err.code === 'circuit_open' && err.retryable,
  );
  assert.ok(Date.now() - t0 < 50, 'fails fast');
  assert.equal(calls, 3, 'the provider was not called while open');
  assert.equal(breakerOf('gemini').state, 'closed', 'breakers are per provider');

  const rows = await usageRows();
  assert.deepEqual(rows.map((r) => r.outcome), ['error', 'error', 'error', 'rejected']);
  assert.deepEqual(rows.map((r) => r.http_status), [503, 503, 503, null]);
});

test('after the cool-down a recovered provider closes the breaker', async () => {
  configureProvider('coupang', { breakerThreshold: 2, halfOpenAfterMs: 300, retries: 0 });
  for (let i = 0; i < 2; i++) {
    await assert.rejects(callExternal({ provider: 'coupang', operation: 'search' }, async () => { throw unavailable(); }));
  }
  assert.equal(breakerOf('coupang').state, 'open');
  await new Promise((r) => setTimeout(r, 350));
  const out = await callExternal({ provider: 'coupang', operation: 'search' }, async () => 'ok');
  assert.equal(out, 'ok');
  assert.equal(breakerOf('coupang').state, 'closed');
  assert.equal(breakerOf('coupang').lastFailure, null);
});

test('a half-open trial that fails opens the breaker again', async () => {
  configureProvider('coupang', { breakerThreshold: 1, halfOpenAfterMs: 200, retries: 0 });
  await assert.rejects(callExternal({ provider: 'coupang', operation: 'search' }, async () => { throw unavailable(); }));
  await new Promise((r) => setTimeout(r, 250));
  await assert.rejects(callExternal({ provider: 'coupang', operation: 'search' }, async () => { throw unavailable(); }), /503/);
  assert.equal(breakerOf('coupang').state, 'open');
});

test('a 429 with Retry-After is retried no sooner than the wait', async () => {
  configureProvider('slack', { backoffInitialMs: 1, backoffMaxMs: 5, retries: 2 });
  const at: number[] = [];
  const out = await callExternal({ provider: 'slack', operation: 'post' }, async () => {
    at.push(Date.now());
    if (at.length === 1) {
      throw new IntegrationError({ provider: 'slack', operation: 'post', status: 429, retryable: true, retryAfterMs: 700 }, 'rate limited');
    }
    return 'sent';
  });
  assert.equal(out, 'sent');
  assert.equal(at.length, 2);
  assert.ok(at[1] - at[0] >= 690, `waited ${at[1] - at[0]} ms`);
  assert.deepEqual((await usageRows()).map((r) => [r.outcome, r.http_status]), [['error', 429], ['ok', null]]);
});

test('a Retry-After longer than the policy allows is not waited out in-process', async () => {
  configureProvider('slack', { maxRetryAfterMs: 1000, retries: 3 });
  let calls = 0;
  await assert.rejects(
    callExternal({ provider: 'slack', operation: 'post' }, async () => {
      calls++;
      throw new IntegrationError({ provider: 'slack', operation: 'post', status: 429, retryable: true, retryAfterMs: 3_600_000 }, 'rate limited');
    }),
    (e: unknown) => e instanceof IntegrationError && e.retryAfterMs === 3_600_000,
  );
  assert.equal(calls, 1);
});

test('permanent errors are not retried and do not open the breaker', async () => {
  configureProvider('coupang', { breakerThreshold: 2, retries: 3 });
  let calls = 0;
  for (let i = 0; i < 3; i++) {
    await assert.rejects(
      callExternal({ provider: 'coupang', operation: 'search' }, async () => {
        calls++;
        throw new IntegrationError({ provider: 'coupang', operation: 'search', status: 401, retryable: false }, 'bad signature');
      }),
      /bad signature/,
    );
  }
  assert.equal(calls, 3);
  assert.equal(breakerOf('coupang').state, 'closed');
});

test("one resource's transient 404s are retried but do not open the provider's breaker", async () => {
  configureProvider('youtube_feed', { breakerThreshold: 2, retries: 1, backoffInitialMs: 1, backoffMaxMs: 2 });
  let calls = 0;
  for (let i = 0; i < 3; i++) {
    await assert.rejects(
      callExternal({ provider: 'youtube_feed', operation: 'channel feed' }, async () => {
        calls++;
        throw new IntegrationError({ provider: 'youtube_feed', operation: 'channel feed', status: 404, retryable: true }, 'YouTube feed channel feed answered HTTP 404');
      }),
      /HTTP 404/,
    );
  }
  assert.equal(calls, 6, 'each call retried once');
  assert.equal(breakerOf('youtube_feed').state, 'closed');
});

test('an attempt that exceeds its timeout is aborted and retried', async () => {
  configureProvider('youtube', { backoffInitialMs: 1, backoffMaxMs: 2 });
  const aborted: boolean[] = [];
  await assert.rejects(
    callExternal(
      { provider: 'youtube', operation: 'videos.list', units: 1 },
      (signal) =>
        new Promise((_res, rej) => {
          signal.addEventListener('abort', () => {
            aborted.push(true);
            rej(new Error('aborted'));
          });
        }),
      { timeoutMs: 50, retries: 1 },
    ),
    (e: unknown) => e instanceof IntegrationError && e.code === 'timeout' && /timed out after 50 ms/.test(e.message),
  );
  assert.equal(aborted.length, 2);
  const rows = await usageRows();
  assert.deepEqual(rows.map((r) => [r.outcome, r.units]), [['error', 1], ['error', 1]], 'quota units are charged per attempt');
});

test('network errors are retried; usage rows never contain a configured secret', async () => {
  process.env.GEMINI_API_KEY = 'AIzaSyTESTKEY-should-never-appear';
  configureProvider('gemini', { backoffInitialMs: 1, backoffMaxMs: 2 });
  let calls = 0;
  const out = await callExternal(
    { provider: 'gemini', operation: 'generate', videoId: '7' },
    async () => {
      calls++;
      if (calls === 1) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      if (calls === 2) {
        throw new IntegrationError(
          { provider: 'gemini', operation: 'generate', status: 500, retryable: true },
          'POST https://x/v1beta/models?key=AIzaSyTESTKEY-should-never-appear failed',
        );
      }
      return { usageMetadata: { promptTokenCount: 1000, candidatesTokenCount: 200 } };
    },
    { retries: 3, usage: (r) => ({ inputTokens: r.usageMetadata.promptTokenCount, outputTokens: r.usageMetadata.candidatesTokenCount }) },
  );
  assert.equal(calls, 3);
  assert.equal(out.usageMetadata.promptTokenCount, 1000);
  const r = await getDb().execute<{ outcome: string; input_tokens: number; output_tokens: number; cost_usd: number; error: string | null; video_id: number | null }>(
    sql`SELECT outcome, input_tokens, output_tokens, cost_usd, error, video_id FROM api_usage ORDER BY id`,
  );
  assert.deepEqual(r.rows.map((x) => x.outcome), ['error', 'error', 'ok']);
  assert.match(r.rows[0].error ?? '', /could not connect/);
  assert.equal(JSON.stringify(r.rows).includes('AIzaSyTESTKEY'), false);
  assert.equal(r.rows[2].input_tokens, 1000);
  assert.equal(r.rows[2].output_tokens, 200);
  // default prices 0.3 / 2.5 USD per million tokens
  assert.ok(Math.abs(r.rows[2].cost_usd - (1000 * 0.3 + 200 * 2.5) / 1e6) < 1e-9);
  assert.equal(r.rows[2].video_id, 7);
  delete process.env.GEMINI_API_KEY;
});

test('recordUsage writes tokens and a computed Gemini cost', async () => {
  await recordUsage({ provider: 'gemini', operation: 'windows', inputTokens: 2_000_000, outputTokens: 0 });
  const r = await getDb().execute<{ cost_usd: number; outcome: string }>(sql`SELECT cost_usd, outcome FROM api_usage`);
  assert.equal(r.rows[0].outcome, 'ok');
  assert.equal(r.rows[0].cost_usd, 0.6);
});

test('Retry-After and RetryInfo parse to milliseconds', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter('  '), undefined);
  assert.equal(parseRetryAfter('soon'), undefined);
  const at = Date.parse('2026-01-01T00:00:10Z');
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:20 GMT', at), 10_000);
  assert.equal(parseRetryInfo('13s'), 13_000);
  assert.equal(
    parseRetryInfo({ error: { code: 429, details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }] } }),
    1500,
  );
  assert.equal(parseRetryInfo('{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"20s"}]}}'), 20_000);
  assert.equal(parseRetryInfo({}), undefined);
});
