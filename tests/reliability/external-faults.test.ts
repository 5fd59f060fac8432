import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { createTestDatabase } from '../helpers/db';
import { setEnv } from '../helpers/env';
import { insertFixtureVideo } from '../helpers/pipeline';
import { startServer, type TestServer } from '../helpers/server';
import {
  a1 as sheetRange,
  startCoupangFake,
  startGeminiFake,
  startSheetsFake,
  startSlackFake,
  startYoutubeDataFake,
  startYoutubeFeedFake,
  type CoupangFake,
  type GeminiFake,
  type SheetsFake,
  type SlackFake,
  type YoutubeDataFake,
  type YoutubeFeedFake,
} from '../fakes/index';
import { recordFigure } from './lib/figures';

/**
 * External providers failing: every client the app has (Gemini, Coupang, YouTube Data, YouTube feeds, Google Sheets,
 * Slack) against its fake answering 429 with Retry-After, 500, 503, nothing in time, a malformed body, 401 and 403.
 *
 * 1. The matrix: each client function driven in this process against a fresh fake per case, with the provider's own
 *    policy (src/server/integrations/policy.ts: retries, breaker threshold) and only the backoff shortened (and the
 *    per-attempt timeout, for the timeout cases). Expected, per fault:
 *      429 + Retry-After   retried no sooner than Retry-After, then the answer (one usage row per attempt)
 *      500 (once)          retried with backoff, then the answer
 *      503 (persistent)    every retry spent, then a clear failure; repeated failures open the breaker, after which
 *                          calls fail fast without reaching the provider
 *      timeout             each attempt abandoned at the timeout (the fake holds its answer longer), retried, then a
 *                          clear failure saying it timed out
 *      malformed body      a clear failure without transport retries (Gemini: the answer is asked again, then
 *                          "no valid answer"; YouTube feeds: a truncated feed is retried like a 5xx, documented)
 *      401, 403            not retried, a clear failure, the breaker stays closed (our credentials, not their health)
 *    A clear failure: the message names the provider and the problem, holds no stack and no secret (keys, tokens,
 *    the webhook path).
 * 2. End to end, per provider, through the app's job (run as the queue runs it on its last attempt) or its API (the
 *    built app, `npm start`, sharing the database): the stage or request fails clearly and nothing is half-written (no
 *    windows or candidate, no matched candidate without its link, no channel row, no sync marked done, no digest
 *    marked sent).
 */
const AREA = 'External faults';

const KEYS = {
  gemini: 'relGeminiKey-5f1c2a9e7b',
  coupangAccess: 'rel-coupang-access-7d3b51',
  coupangSecret: 'rel-coupang-secret-9a8e61f0c2d4',
  youtube: 'relYoutubeKey-4c2d9b8e1a',
  webhookPath: '/services/TREL00000/BREL00000/relWebhookSecret7f3e9a2c1b',
  apiToken: 'rel-faults-api-token-0123456789abcdef',
};
const SID = 'relFaults0123456789abcdefghijklmnopqrstuvwxy';
const CHANNEL = 'UCrelFaultsProbe00000001';
const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const serviceAccount = (tokenBase: string) =>
  JSON.stringify({ type: 'service_account', client_email: 'reliability@faults-test.iam.gserviceaccount.com', private_key: PRIVATE_PEM, token_uri: `${tokenBase}/token` });

/** What must never appear in an error message: keys, secrets, tokens, the webhook's secret path. */
const SECRETS = [KEYS.gemini, KEYS.coupangAccess, KEYS.coupangSecret, KEYS.youtube, 'relWebhookSecret', KEYS.apiToken, 'PRIVATE KEY', 'ya29.'];

type Provider = 'gemini' | 'coupang' | 'youtube' | 'youtube_feed' | 'sheets' | 'slack';
type Fault = '429' | '500' | '503' | 'timeout' | 'malformed' | '401' | '403' | 'malformed-http';
const PROVIDERS: Provider[] = ['gemini', 'coupang', 'youtube', 'youtube_feed', 'sheets', 'slack'];
const FAULTS: Fault[] = ['429', '500', '503', 'timeout', 'malformed', '401', '403'];
/** Gemini's "malformed" above is a malformed answer in a well-formed response; this one is a body that is not JSON. */
const EXTRA_CELLS: [Provider, Fault][] = [['gemini', 'malformed-http']];
const LABEL: Record<Provider, RegExp> = {
  gemini: /gemini/i,
  coupang: /coupang/i,
  youtube: /youtube/i,
  youtube_feed: /youtube feed/i,
  sheets: /sheets/i,
  slack: /slack/i,
};

let db: { url: string; drop(): Promise<void> };
let dataDir: string;
const cleanups: (() => Promise<unknown>)[] = [];

type Db = typeof import('@/src/server/db');
type Policy = typeof import('@/src/server/integrations/policy');
let D: Db;
let P: Policy;

before(async () => {
  db = await createTestDatabase('rfaults');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-rfaults-'));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  cleanups.push(() => db.drop());
  for (const k of ['GEMINI_API_KEY', 'GEMINI_BASE_URL', 'COUPANG_ACCESS_KEY', 'COUPANG_SECRET_KEY', 'YOUTUBE_API_KEY', 'GOOGLE_API_ROOT_URL', 'GOOGLE_SERVICE_ACCOUNT_JSON', 'SLACK_WEBHOOK_URL', 'WORKER_QUEUES']) delete process.env[k];
  // No workers here: the E2E cases run each job as the queue would, by hand, so that nothing else moves meanwhile.
  setEnv({ DATABASE_URL: db.url, DATA_DIR: dataDir, APP_ROLE: 'web', LOG_LEVEL: 'silent', VISUAL_FRAMES_PER_WINDOW: '3', ADMIN_EMAIL: 'faults@example.com', ADMIN_PASSWORD: 'faults-test-password' });
  await (await import('@/src/start')).startApp();
  cleanups.push(async () => (await import('@/src/start')).stopApp());
  D = await import('@/src/server/db');
  P = await import('@/src/server/integrations/policy');
});

after(async () => {
  for (const c of cleanups.reverse()) await c().catch((e) => console.error('cleanup failed:', e));
});

// ---------------------------------------------------------------------------------------------------------------
// The matrix: one client call per provider, a fresh fake per case

type Harness = {
  /** One call of the client, resolving to whether the provider's answer came back. */
  call(): Promise<boolean>;
  /** Requests that reached the fake for this operation. */
  hits(): number;
  /** Script one normal answer (only the Gemini fake needs it; the others answer normally by default). */
  ok(): void;
  fail(status: number, retryAfterSec?: number): void;
  hang(ms: number): void;
  malformed(): void;
  /** A response body that is not JSON at all (Gemini only; the others' malformed() already is one). */
  malformedHttp?(): void;
  close(): Promise<void>;
};

async function harness(p: Provider): Promise<Harness> {
  const retryAfter = (s?: number) => (s === undefined ? undefined : { 'retry-after': String(s) });
  switch (p) {
    case 'gemini': {
      const fake = await startGeminiFake({ apiKey: KEYS.gemini });
      setEnv({ GEMINI_API_KEY: KEYS.gemini, GEMINI_BASE_URL: fake.url, GEMINI_MODEL: 'gemini-faults' });
      const { generateStructured } = await import('@/src/server/integrations/gemini/client');
      const googleError = (code: number, message: string, status: string) => ({ error: { code, message, status } });
      return {
        call: async () =>
          (
            await generateStructured({
              operation: 'faults.probe',
              system: 'Answer with {"ok": true}.',
              parts: [{ text: 'probe' }],
              responseSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
              schema: z.object({ ok: z.boolean() }),
            })
          ).ok,
        hits: () => fake.calls().length,
        ok: () => fake.reply({ ok: true }),
        fail: (status, s) => {
          if (status === 429) return fake.rateLimitNext(`${s ?? 1}s`);
          if (status === 401) return fake.failNext(401, googleError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'UNAUTHENTICATED'));
          if (status === 403) return fake.failNext(403, googleError(403, 'Generative Language API has not been used in this project before or it is disabled.', 'PERMISSION_DENIED'));
          fake.failNext(status);
        },
        hang: (ms) => fake.hangNext(ms),
        malformed: () => fake.replyMalformed(),
        malformedHttp: () => fake.failNext(200, '{"candidates": [{"content": {"parts": [{"text": "{\\"ok\\"'),
        close: () => fake.close(),
      };
    }
    case 'coupang': {
      const fake = await startCoupangFake({ accessKey: KEYS.coupangAccess, secretKey: KEYS.coupangSecret });
      fake.setProducts('라운드랩 독도 토너', [{ productName: '라운드랩 1025 독도 토너 200ml', productId: 902 }]);
      setEnv({ COUPANG_ACCESS_KEY: KEYS.coupangAccess, COUPANG_SECRET_KEY: KEYS.coupangSecret, COUPANG_BASE_URL: fake.url });
      const { searchProducts } = await import('@/src/server/integrations/coupang/client');
      return {
        call: async () => (await searchProducts('라운드랩 독도 토너')).length === 1,
        hits: () => fake.searchCount(),
        ok: () => {},
        fail: (status, s) => fake.failNext(status, status === 403 ? { code: 'ERROR', message: 'Access denied: this API is not allowed for the partner.' } : undefined, retryAfter(s), 'search'),
        hang: (ms) => fake.hangNext(ms, 'search'),
        malformed: () => fake.failNext(200, '{"rCode":"0","rMessage":"","data":{"productData":[{"productId":', undefined, 'search'),
        close: () => fake.close(),
      };
    }
    case 'youtube': {
      const fake = await startYoutubeDataFake({ apiKey: KEYS.youtube });
      fake.addChannel({ id: CHANNEL, title: '결함 테스트 채널', handle: '@relfaults' });
      setEnv({ YOUTUBE_API_KEY: KEYS.youtube, GOOGLE_API_ROOT_URL: fake.url });
      const { getChannelsByIds } = await import('@/src/server/integrations/youtube-data/client');
      const unauthenticated = { error: { code: 401, message: 'Request is missing required authentication credential.', errors: [{ message: 'Login Required.', domain: 'global', reason: 'required', location: 'Authorization', locationType: 'header' }], status: 'UNAUTHENTICATED' } };
      return {
        call: async () => (await getChannelsByIds([CHANNEL]))[0]?.id === CHANNEL,
        hits: () => fake.count('channels'),
        ok: () => {},
        // YouTube's 403 is the documented quota refusal (the fake's contract body)
        fail: (status, s) => fake.failNext(status, status === 401 ? unauthenticated : undefined, retryAfter(s), 'channels'),
        hang: (ms) => fake.hangNext(ms, 'channels'),
        malformed: () => fake.malformedNext('channels'),
        close: () => fake.close(),
      };
    }
    case 'youtube_feed': {
      const fake = await startYoutubeFeedFake();
      fake.setLongFormFeed(CHANNEL, [{ videoId: 'relFaultV01', title: '결함 테스트 영상', published: new Date().toISOString() }], { title: '결함 테스트 채널' });
      setEnv({ YOUTUBE_FEED_BASE_URL: fake.url });
      const { fetchChannelFeed } = await import('@/src/server/integrations/youtube-feed/client');
      return {
        call: async () => (await fetchChannelFeed(CHANNEL)).feed.entries.length === 1,
        hits: () => fake.requests.length,
        ok: () => {},
        fail: (status, s) => fake.failNext(status, undefined, retryAfter(s)),
        hang: (ms) => fake.hangNext(ms),
        malformed: () => fake.malformedNext(),
        close: () => fake.close(),
      };
    }
    case 'sheets': {
      const fake = await startSheetsFake({ spreadsheetId: SID, serviceAccountPublicKey: PUBLIC_PEM, accessToken: 'only-issued-tokens' });
      fake.setSheet('채널목록', [['채널 ID', '유형'], [CHANNEL, '미디어']]);
      setEnv({ GOOGLE_SERVICE_ACCOUNT_JSON: serviceAccount(fake.url), SHEETS_SPREADSHEET_ID: SID, GOOGLE_API_ROOT_URL: fake.url });
      const { createSheetsClient } = await import('@/src/server/integrations/sheets/client');
      return {
        call: async () => (await createSheetsClient().getValues(sheetRange('채널목록', 'A1:C'))).length === 2,
        hits: () => fake.requests.filter((r) => r.path !== '/token').length,
        ok: () => {},
        fail: (status, s) => fake.failNext(status, undefined, retryAfter(s)),
        hang: (ms) => fake.hangNext(ms),
        malformed: () => fake.failNext(200, `{"range":"'채널목록'!A1:C2","majorDimension":"ROWS","values":[["채널 ID","유형"],["UC`),
        close: () => fake.close(),
      };
    }
    case 'slack': {
      const fake = await startSlackFake();
      setEnv({ SLACK_WEBHOOK_URL: fake.url + KEYS.webhookPath });
      const { postSlackMessage } = await import('@/src/server/integrations/slack/client');
      return {
        call: async () => (await postSlackMessage({ text: '결함 테스트 메시지' }, { operation: 'faults.probe' })).sent,
        hits: () => fake.requests.length,
        ok: () => {},
        fail: (status, s) => (status === 429 ? fake.rateLimitNext(s ?? 1) : fake.failNext(status, status === 401 ? 'invalid_token' : undefined)),
        hang: (ms) => fake.hangNext(ms),
        // a 200 that is not Slack's "ok" (a proxy's or captive portal's page): the message was not delivered
        malformed: () => fake.failNext(200, '<!DOCTYPE html><html><body>Sign in to continue</body></html>'),
        close: () => fake.close(),
      };
    }
  }
}

/** Attempts one call makes under the provider's policy (Coupang asks for 2 retries itself). */
function attemptsOf(p: Provider): number {
  return p === 'coupang' ? 3 : P.policyFor(p).retries + 1;
}

/** What makes a failure clear; returns the problems found (none: clear). */
function unclear(err: unknown, label: RegExp, problem: RegExp): string[] {
  const out: string[] = [];
  if (!(err instanceof Error)) return [`not an Error: ${String(err)}`];
  const m = err.message;
  if (!['IntegrationError', 'DomainError', 'LlmOutputError'].includes(err.name)) out.push(`a bare ${err.name}`);
  if (!label.test(m)) out.push(`does not name the provider (${label})`);
  if (!problem.test(m)) out.push(`does not name the problem (${problem})`);
  if (/\n\s+at\s/.test(m)) out.push('holds a stack');
  for (const s of SECRETS) if (m.includes(s)) out.push(`holds a secret (${s.slice(0, 8)}…)`);
  if (m.length > 700) out.push(`${m.length} characters long`);
  return out;
}

async function usage(p: Provider): Promise<string[]> {
  const rows = await D.getDb()
    .select({ outcome: D.schema.apiUsage.outcome, status: D.schema.apiUsage.httpStatus })
    .from(D.schema.apiUsage)
    .where(and(eq(D.schema.apiUsage.provider, p), ne(D.schema.apiUsage.operation, 'search_slot')))
    .orderBy(D.schema.apiUsage.id);
  return rows.map((r) => (r.outcome === 'ok' ? 'ok' : `${r.outcome}${r.status ? ` ${r.status}` : ''}`));
}

const breaker = (p: Provider) => P.breakerStates().find((b) => b.provider === p)!.state;

const EXPECTED: Record<Fault, (p: Provider) => string> = {
  '429': () => 'retried no sooner than Retry-After (1 s), then answered',
  '500': () => 'retried with backoff, then answered',
  '503': (p) => `${attemptsOf(p)} attempts, clear failure; breaker opens, then fails fast without calling`,
  timeout: (p) => `${attemptsOf(p)} attempts abandoned at the timeout, clear "timed out" failure`,
  malformed: (p) =>
    p === 'gemini'
      ? 'answer asked 3 times, then clear "no valid answer" failure'
      : p === 'youtube_feed'
        ? 'truncated feed retried like a 5xx, then answered'
        : 'clear failure, not retried, breaker closed',
  '401': () => 'not retried, clear failure, breaker closed',
  '403': (p) => (p === 'youtube' ? 'quota refusal: not retried, clear budget failure, breaker closed' : 'not retried, clear failure, breaker closed'),
  'malformed-http': () => 'a response body that is not JSON: clear failure, not retried, breaker closed',
};

async function malformedFailure(h: Harness, p: Provider, want: number, problems: string[]): Promise<{ problems: string[]; observed: string }> {
  const err = await h.call().then((r) => r, (e: unknown) => e);
  if (!(err instanceof Error)) problems.push(`no failure: the call returned ${String(err)}`);
  else problems.push(...unclear(err, LABEL[p], /unexpected|not JSON|malformed|invalid|not valid|no valid answer/i));
  if (h.hits() !== want) problems.push(`${h.hits()} requests, expected ${want}`);
  if (breaker(p) !== 'closed') problems.push(`breaker ${breaker(p)}`);
  return { problems, observed: `${h.hits()} request(s): ${err instanceof Error ? `"${err.message.slice(0, 110)}"` : `returned ${String(err)}`}` };
}

async function runCell(p: Provider, fault: Fault): Promise<{ problems: string[]; observed: string }> {
  P.resetPolicies();
  const fast = { backoffInitialMs: 20, backoffMaxMs: 100 };
  P.configureProvider(p, fast);
  await D.getDb().delete(D.schema.apiUsage);
  const h = await harness(p);
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => void (ok || problems.push(what));
  const attempts = attemptsOf(p);
  const label = LABEL[p];
  try {
    switch (fault) {
      case '429':
      case '500': {
        const status = Number(fault);
        h.fail(status, status === 429 ? 1 : undefined);
        h.ok();
        const t0 = Date.now();
        const answered = await h.call().catch((e: Error) => (problems.push(`failed: ${e.message}`), false));
        const ms = Date.now() - t0;
        expect(answered, 'no answer after the retry');
        expect(h.hits() === 2, `${h.hits()} requests, expected 2`);
        if (status === 429) expect(ms >= 950, `retried after ${ms} ms, before Retry-After (1 s)`);
        const u = await usage(p);
        expect(u.join(',') === `error ${status},ok`, `usage rows ${u.join(',')}`);
        return { problems, observed: `${h.hits()} requests, answered after ${ms} ms; usage ${u.join(', ')}` };
      }
      case '503': {
        for (let i = 0; i < 30; i++) h.fail(503);
        const first = await h.call().then(() => null, (e: unknown) => e);
        expect(first !== null, 'the call succeeded');
        if (first) problems.push(...unclear(first, label, /503/));
        expect(h.hits() === attempts, `${h.hits()} attempts, expected ${attempts}`);
        let calls = 1;
        let opened: unknown = null;
        while (!opened && calls < 4) {
          calls++;
          const e = await h.call().then(() => null, (x: unknown) => x);
          if (e instanceof Error && /paused/.test(e.message)) opened = e;
        }
        expect(!!opened, `breaker not open after ${calls} calls (${h.hits()} requests)`);
        if (opened) problems.push(...unclear(opened, label, /failing|paused/));
        expect(breaker(p) === 'open', `breaker ${breaker(p)}`);
        const before = h.hits();
        const t0 = Date.now();
        const fast = await h.call().then(() => null, (x: unknown) => x);
        const ms = Date.now() - t0;
        expect(fast instanceof Error && /paused/.test(fast.message), 'a call with the breaker open was not refused');
        expect(h.hits() === before, 'the provider was called while the breaker was open');
        expect(ms < 300, `refused after ${ms} ms, not at once`);
        return {
          problems,
          observed: `${attempts} attempts then "${(first as Error | null)?.message.slice(0, 90)}"; breaker open after ${before} requests (threshold ${P.policyFor(p).breakerThreshold}); next call refused in ${ms} ms`,
        };
      }
      case 'timeout': {
        const timeoutMs = 300;
        P.configureProvider(p, { ...fast, timeoutMs });
        for (let i = 0; i < attempts; i++) h.hang(2500);
        const t0 = Date.now();
        const err = await h.call().then(() => null, (e: unknown) => e);
        const ms = Date.now() - t0;
        expect(err !== null, 'the call succeeded');
        if (err) problems.push(...unclear(err, label, /timed out/i));
        expect(h.hits() === attempts, `${h.hits()} attempts, expected ${attempts}`);
        expect(ms < attempts * (timeoutMs + 150) + 1500, `gave up after ${ms} ms`);
        return { problems, observed: `${h.hits()} attempts held 2.5 s each, given up after ${ms} ms: "${(err as Error | null)?.message.slice(0, 90)}"` };
      }
      case 'malformed': {
        if (p === 'youtube_feed') {
          h.malformed();
          const answered = await h.call().catch((e: Error) => (problems.push(`failed: ${e.message}`), false));
          expect(answered, 'no answer after the retry');
          expect(h.hits() === 2, `${h.hits()} requests, expected 2`);
          return { problems, observed: `${h.hits()} requests, answered` };
        }
        for (let i = 0; i < 5; i++) h.malformed();
        return await malformedFailure(h, p, p === 'gemini' ? 3 : 1, problems);
      }
      case 'malformed-http': {
        for (let i = 0; i < 5; i++) h.malformedHttp!();
        return await malformedFailure(h, p, 1, problems);
      }
      case '401':
      case '403': {
        const status = Number(fault);
        for (let i = 0; i < 3; i++) h.fail(status);
        const err = await h.call().then((r) => r, (e: unknown) => e);
        expect(err instanceof Error, `no failure: the call returned ${String(err)}`);
        const problem = status === 401 ? /401|credential|key/i : p === 'youtube' ? /quota/i : /403|permission|denied|refused|prohibited/i;
        if (err instanceof Error) problems.push(...unclear(err, label, problem));
        expect(h.hits() === 1, `${h.hits()} requests, expected 1 (not retried)`);
        expect(breaker(p) === 'closed', `breaker ${breaker(p)}`);
        return { problems, observed: `${h.hits()} request(s): ${err instanceof Error ? `"${err.message.slice(0, 110)}"` : `returned ${String(err)}`}` };
      }
    }
  } catch (err) {
    problems.push(`the case itself threw: ${err instanceof Error ? err.message : String(err)}`);
    return { problems, observed: 'threw' };
  } finally {
    await h.close();
  }
}

test('each provider × each fault: retry honouring Retry-After, breaker, or a clear failure', { timeout: 180_000 }, async () => {
  const failed: string[] = [];
  let held = 0;
  const t0 = Date.now();
  const cells: [Provider, Fault][] = [...PROVIDERS.flatMap((p) => FAULTS.map((f): [Provider, Fault] => [p, f])), ...EXTRA_CELLS];
  for (const [p, fault] of cells) {
    const { problems, observed } = await runCell(p, fault);
    const ok = problems.length === 0;
    if (ok) held++;
    else failed.push(`${p} × ${fault}: ${problems.join('; ')}`);
    recordFigure({ area: AREA, name: `${p} × ${fault}`, value: ok ? 'held' : 'FAILED', note: `expected: ${EXPECTED[fault](p)} · observed: ${observed}${ok ? '' : ` · ${problems.join('; ')}`}` });
  }
  P.resetPolicies();
  const total = cells.length;
  recordFigure({ area: AREA, name: 'provider × fault cases held', value: `${held}/${total}`, note: `client functions in-process against fresh fakes, ${Math.round((Date.now() - t0) / 1000)} s` });
  assert.deepEqual(failed, [], `${failed.length} of ${total} cases did not hold:\n${failed.join('\n')}`);
});

// ---------------------------------------------------------------------------------------------------------------
// End to end: the app's jobs (run here as the queue runs them) and its API (the built app, sharing the database)

type E2E = {
  gemini: GeminiFake;
  coupang: CoupangFake;
  youtube: YoutubeDataFake;
  feed: YoutubeFeedFake;
  sheets: SheetsFake;
  slack: SlackFake;
  server: TestServer;
};
let e2eReady: Promise<E2E> | undefined;
const e2eResults: { name: string; held: boolean; note: string }[] = [];

/** googleapis has one root URL for YouTube Data and Sheets: this sends /youtube/… to one fake and the rest to the other. */
async function startGoogleRouter(youtube: string, sheets: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/', req.url?.startsWith('/youtube/') ? youtube : sheets);
    const out = http.request(target, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy()); // a client that gave up: the fake sees its socket close too
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

function e2e(): Promise<E2E> {
  e2eReady ??= (async () => {
    const gemini = await startGeminiFake({ apiKey: KEYS.gemini });
    const coupang = await startCoupangFake({ accessKey: KEYS.coupangAccess, secretKey: KEYS.coupangSecret });
    const youtube = await startYoutubeDataFake({ apiKey: KEYS.youtube });
    const feed = await startYoutubeFeedFake();
    const sheets = await startSheetsFake({ spreadsheetId: SID, serviceAccountPublicKey: PUBLIC_PEM });
    const slack = await startSlackFake();
    const router = await startGoogleRouter(youtube.url, sheets.url);
    for (const f of [gemini, coupang, youtube, feed, sheets, slack, router]) cleanups.push(() => f.close());
    const env = {
      GEMINI_API_KEY: KEYS.gemini,
      GEMINI_BASE_URL: gemini.url,
      GEMINI_MODEL: 'gemini-faults',
      COUPANG_ACCESS_KEY: KEYS.coupangAccess,
      COUPANG_SECRET_KEY: KEYS.coupangSecret,
      COUPANG_BASE_URL: coupang.url,
      YOUTUBE_API_KEY: KEYS.youtube,
      GOOGLE_API_ROOT_URL: router.url,
      GOOGLE_SERVICE_ACCOUNT_JSON: serviceAccount(sheets.url),
      SHEETS_SPREADSHEET_ID: SID,
      YOUTUBE_FEED_BASE_URL: feed.url,
      SLACK_WEBHOOK_URL: slack.url + KEYS.webhookPath,
    };
    setEnv(env);
    P.resetPolicies();
    for (const p of PROVIDERS) P.configureProvider(p, { backoffInitialMs: 20, backoffMaxMs: 100 });
    // The built app on the same database, serving the API only (no workers: nothing runs behind the test's back).
    const server = await startServer({ ...env, DATABASE_URL: db.url, APP_ROLE: 'web', API_TOKEN: KEYS.apiToken, LOG_LEVEL: 'error' }, { dataDir });
    cleanups.push(() => server.stop());
    return { gemini, coupang, youtube, feed, sheets, slack, server };
  })();
  return e2eReady;
}

async function api(method: string, urlPath: string, body?: unknown): Promise<{ status: number; json: any }> {
  const { server } = await e2e();
  const res = await fetch(server.url + urlPath, {
    method,
    headers: { authorization: `Bearer ${KEYS.apiToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json };
}

/** A job as the queue runs it on its last attempt (src/workers/index.ts handle): run; on failure onGiveUp. */
async function runJob(queue: string, data: Record<string, string>, opts: { final?: boolean } = {}): Promise<unknown> {
  const { workerRegistry } = await import('@/src/workers');
  const { isPermanent } = await import('@/src/server/queue/job-errors');
  const def = (workerRegistry as Record<string, { run(d: unknown, c: unknown): Promise<void>; onGiveUp?(d: unknown, e: unknown): Promise<void> }>)[queue];
  const final = opts.final ?? true;
  try {
    await def.run(data, { jobId: `reliability-${queue}`, attempt: final ? 7 : 1, isFinalAttempt: final });
    return null;
  } catch (err) {
    if (isPermanent(err) || final) await def.onGiveUp?.(data, err);
    return err;
  }
}

/** A message an operator or API client reads: names the provider and the problem, no stack, no secret, no server path. */
function unclearText(text: unknown, label: RegExp, problem: RegExp): string[] {
  const m = String(text ?? '');
  const out: string[] = [];
  if (!label.test(m)) out.push(`does not name the provider (${label}): ${JSON.stringify(m.slice(0, 160))}`);
  if (!problem.test(m)) out.push(`does not name the problem (${problem}): ${JSON.stringify(m.slice(0, 160))}`);
  if (/\n\s+at\s/.test(m)) out.push('holds a stack');
  for (const s of SECRETS) if (m.includes(s)) out.push(`holds a secret (${s.slice(0, 8)}…)`);
  if (m.includes(dataDir)) out.push('holds a server path');
  return out;
}

async function insertCandidate(opts: { name: string; score?: number; videoId?: number }) {
  const { getDb, schema } = D;
  const videoId =
    opts.videoId ??
    (await getDb().insert(schema.videos).values({ sourceKind: 'upload', uploadHash: crypto.randomBytes(12).toString('hex'), title: '결함 테스트 브이로그', stage: 'monetize' }).returning())[0].id;
  const speech = '제가 요즘 진짜 잘 쓰는 게 있는데 라운드랩 독도 토너예요. 피부가 진짜 촉촉해져요. 강력 추천합니다.';
  const [c] = await getDb()
    .insert(schema.candidates)
    .values({
      videoId,
      productKey: crypto.randomBytes(6).toString('hex'),
      productNameAi: opts.name,
      clipStartTime: 19,
      clipEndTime: 29,
      scoreTotal: opts.score ?? 90,
      endorsementType: '명시적 추천',
      coupangSearchStatus: 'pending',
      evidence: { transcriptSpan: [{ start: 21, end: 26, text: speech }], frameTimestamps: [], ocrLines: [], detections: [], cropPath: null, framePaths: [], otherWindows: [] },
    })
    .returning();
  return c;
}

async function e2eCase(name: string, fn: (check: (ok: boolean, what: string) => void, note: (s: string) => void) => Promise<void>) {
  const problems: string[] = [];
  const notes: string[] = [];
  try {
    await fn(
      (ok, what) => void (ok || problems.push(what)),
      (s) => notes.push(s),
    );
  } catch (err) {
    problems.push(`threw: ${err instanceof Error ? err.message : String(err)}`);
  }
  const held = problems.length === 0;
  e2eResults.push({ name, held, note: notes.join('; ') });
  recordFigure({ area: AREA, name: `e2e · ${name}`, value: held ? 'held' : 'FAILED', note: [...notes, ...problems].join(' · ') });
  assert.deepEqual(problems, [], `${name}:\n${problems.join('\n')}`);
}

test('e2e Gemini: a malformed answer and a persistent 503 fail video.windows clearly; no window, no candidate', { timeout: 120_000 }, async () => {
  await e2eCase('gemini → video.windows job (malformed answers, then 503 ×4)', async (check, note) => {
    const { gemini } = await e2e();
    const { getDb, schema } = D;
    const videoId = await insertFixtureVideo({ title: '결함 테스트: Gemini' });
    check((await runJob('video.transcript', { videoId: String(videoId) })) === null, 'transcript from captions failed');
    const partial = async () => ({
      windows: (await getDb().select().from(schema.windows).where(eq(schema.windows.videoId, videoId))).length,
      candidates: (await getDb().select().from(schema.candidates).where(eq(schema.candidates.videoId, videoId))).length,
    });
    for (let i = 0; i < 3; i++) gemini.replyMalformed();
    await runJob('video.windows', { videoId: String(videoId) });
    let [v] = await getDb().select().from(schema.videos).where(eq(schema.videos.id, videoId));
    check(v.stage === 'failed' && v.failedStage === 'windows', `after malformed answers the video is ${v.stage}/${v.failedStage}`);
    for (const p of unclearText(v.errorMessage, /gemini/i, /no valid answer|not JSON/i)) check(false, `malformed: ${p}`);
    let rows = await partial();
    check(rows.windows === 0 && rows.candidates === 0, `partial rows after malformed answers: ${JSON.stringify(rows)}`);
    note(`malformed ×3 → video failed at windows: "${v.errorMessage?.slice(0, 100)}"`);

    // retried by the operator while Gemini is down: the job's last attempt fails the video again, naming the 503
    const { retryVideo } = await import('@/src/server/videos/retry');
    await retryVideo(String(videoId));
    const before = gemini.calls().length;
    for (let i = 0; i < 4; i++) gemini.failNext(503);
    const err = await runJob('video.windows', { videoId: String(videoId) });
    check(err !== null, 'video.windows did not fail');
    check(gemini.calls().length - before === 4, `${gemini.calls().length - before} Gemini attempts, expected 4`);
    [v] = await getDb().select().from(schema.videos).where(eq(schema.videos.id, videoId));
    check(v.stage === 'failed' && v.failedStage === 'windows', `after 503s the video is ${v.stage}/${v.failedStage}`);
    for (const p of unclearText(v.errorMessage, /gemini/i, /503/)) check(false, `503: ${p}`);
    rows = await partial();
    check(rows.windows === 0 && rows.candidates === 0, `partial rows after 503s: ${JSON.stringify(rows)}`);
    // what the API shows
    const res = await api('GET', `/api/v1/videos/${videoId}`);
    check(res.status === 200, `GET video: ${res.status}`);
    for (const p of unclearText(res.json?.error?.message, /gemini/i, /503/)) check(false, `API: ${p}`);
    note(`503 ×4 → failed again: "${v.errorMessage?.slice(0, 100)}"; windows ${rows.windows}, candidates ${rows.candidates}`);
  });
});

test('e2e Coupang: the monetize API answers 502 naming Coupang; a failed deep link leaves no half-matched candidate', { timeout: 120_000 }, async () => {
  await e2eCase('coupang → POST /candidates/:id/monetize (503 ×3; search ok + deeplink 401)', async (check, note) => {
    const { coupang } = await e2e();
    const { getDb, schema } = D;
    const state = async (id: number) => {
      const [c] = await getDb().select().from(schema.candidates).where(eq(schema.candidates.id, id));
      const events = await getDb().select().from(schema.candidateEvents).where(and(eq(schema.candidateEvents.candidateId, id), eq(schema.candidateEvents.kind, 'monetized')));
      return { status: c.coupangSearchStatus, url: c.coupangUrlAi, product: c.coupangProduct, events: events.length };
    };
    const a = await insertCandidate({ name: '토리든 다이브인 세럼' });
    for (let i = 0; i < 3; i++) coupang.failNext(503, undefined, undefined, 'search');
    let res = await api('POST', `/api/v1/candidates/${a.id}/monetize`);
    check(res.status === 502 && res.json?.error?.code === 'upstream_failed', `503s: ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
    for (const p of unclearText(res.json?.error?.message, /coupang/i, /503/)) check(false, `503: ${p}`);
    let s = await state(a.id);
    check(s.status !== 'matched' && s.url === null && s.product === null && s.events === 0, `after 503s: ${JSON.stringify(s)}`);
    note(`503 ×3 → ${res.status} "${res.json?.error?.message?.slice(0, 90)}"; candidate ${s.status}, no link`);

    const b = await insertCandidate({ name: '라운드랩 독도 토너' });
    const { normalizeKeyword } = await import('@/src/server/monetization');
    coupang.setProducts(normalizeKeyword('라운드랩 독도 토너'), [{ productName: '라운드랩 1025 독도 토너 200ml', productId: 902 }]);
    coupang.failNext(401, undefined, undefined, 'deeplink');
    const deeplinksBefore = coupang.deeplinkCount();
    res = await api('POST', `/api/v1/candidates/${b.id}/monetize`);
    check(res.status === 502, `deeplink 401: ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
    for (const p of unclearText(res.json?.error?.message, /coupang/i, /401|credentials/i)) check(false, `401: ${p}`);
    check(coupang.deeplinkCount() - deeplinksBefore === 1, `deeplink 401 retried (${coupang.deeplinkCount() - deeplinksBefore} calls)`);
    s = await state(b.id);
    check(s.status !== 'matched' && s.url === null && s.product === null && s.events === 0, `half-matched after the deeplink failed: ${JSON.stringify(s)}`);
    note(`search ok + deeplink 401 → ${res.status}, candidate ${s.status} without link or product`);

    // Coupang back: the same request matches, with its link
    res = await api('POST', `/api/v1/candidates/${b.id}/monetize`);
    s = await state(b.id);
    check(res.status === 200 && res.json?.status === 'matched' && !!s.url && s.events === 1, `after recovery: ${res.status} ${JSON.stringify(s)}`);
    note(`Coupang back → ${res.json?.status ?? res.status}`);
  });
});

test('e2e YouTube Data: channel registration fails clearly (quota, 503, then the open breaker); no channel row', { timeout: 120_000 }, async () => {
  await e2eCase('youtube → POST /channels (403 quota; 503 persistent → breaker)', async (check, note) => {
    const { youtube } = await e2e();
    const { getDb, schema } = D;
    const channelRows = async () => (await getDb().select().from(schema.channels).where(eq(schema.channels.handle, '@relfaults'))).length;
    youtube.addChannel({ id: 'UCrelFaultsE2EData000001', title: '결함 테스트 채널', handle: '@relfaults' });
    youtube.quotaExceededNext('channels');
    let res = await api('POST', '/api/v1/channels', { input: '@relfaults', kind: 'media' });
    check(res.status === 503 && res.json?.error?.code === 'budget_exhausted', `quota: ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
    for (const p of unclearText(res.json?.error?.message, /youtube/i, /quota/i)) check(false, `quota: ${p}`);
    note(`403 quota → ${res.status} ${res.json?.error?.code}`);

    for (let i = 0; i < 20; i++) youtube.failNext(503, undefined, undefined, 'channels');
    const t0 = Date.now();
    res = await api('POST', '/api/v1/channels', { input: '@relfaults', kind: 'media' });
    check(res.status === 502 && res.json?.error?.code === 'upstream_failed', `503: ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
    for (const p of unclearText(res.json?.error?.message, /youtube/i, /503/)) check(false, `503: ${p}`);
    note(`503 persistent → ${res.status} after ${youtube.count('channels') - 1} attempts, ${Date.now() - t0} ms`);
    // more failures open the server's breaker (5 in a row by default); then calls are refused without reaching YouTube
    for (let i = 0; i < 3 && !/paused/.test(res.json?.error?.message ?? ''); i++) res = await api('POST', '/api/v1/channels', { input: '@relfaults', kind: 'media' });
    check(res.status === 502 && /paused/.test(res.json?.error?.message ?? ''), `breaker: ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
    const calls = youtube.count('channels');
    const t1 = Date.now();
    res = await api('POST', '/api/v1/channels', { input: '@relfaults', kind: 'media' });
    check(res.status === 502 && /paused/.test(res.json?.error?.message ?? '') && youtube.count('channels') === calls, `open breaker: ${res.status}, ${youtube.count('channels') - calls} calls`);
    for (const p of unclearText(res.json?.error?.message, /youtube/i, /failing|paused/)) check(false, `breaker: ${p}`);
    note(`breaker open after ${calls - 1} failed attempts: next request refused in ${Date.now() - t1} ms without calling ("${res.json?.error?.message?.slice(0, 80)}")`);
    check((await channelRows()) === 0, 'a channel row was written');
  });
});

test('e2e YouTube feeds: a malformed feed fails the poll job clearly, recorded on the channel; no video rows', { timeout: 120_000 }, async () => {
  await e2eCase('youtube feeds → feeds.poll-channel job (malformed ×3), then recovery', async (check, note) => {
    const { feed } = await e2e();
    const { getDb, schema } = D;
    const ytId = 'UCrelFaultsE2EFeed000001';
    const [ch] = await getDb().insert(schema.channels).values({ youtubeChannelId: ytId, title: '결함 테스트 피드', kind: 'media', status: 'active' }).returning();
    feed.setLongFormFeed(ytId, [{ videoId: 'relFeedV001', title: '새 영상: 요즘 쓰는 토너', published: new Date().toISOString() }]);
    const videosOf = async () => (await getDb().select().from(schema.videos).where(eq(schema.videos.channelId, ch.id))).length;
    for (let i = 0; i < 3; i++) feed.malformedNext();
    const err = await runJob('feeds.poll-channel', { channelId: String(ch.id) });
    check(err !== null, 'the poll did not fail');
    let [row] = await getDb().select().from(schema.channels).where(eq(schema.channels.id, ch.id));
    for (const p of unclearText(row.feedLastError, /youtube feed/i, /not valid|malformed|atom|xml/i)) check(false, `channel error: ${p}`);
    check(row.feedConsecutiveFailures === 1 && row.feedLastSuccessAt === null, `feed health ${row.feedConsecutiveFailures} / ${row.feedLastSuccessAt}`);
    check((await videosOf()) === 0, 'video rows written from a malformed feed');
    const res = await api('GET', `/api/v1/channels/${ch.id}`);
    const shown = JSON.stringify(res.json);
    for (const p of unclearText(shown, /youtube feed/i, /not valid|malformed|atom|xml/i)) check(false, `API: ${p}`);
    note(`malformed ×3 → poll failed, channel shows "${row.feedLastError?.slice(0, 100)}"; videos 0`);
    check((await runJob('feeds.poll-channel', { channelId: String(ch.id) })) === null, 'the poll failed after the feed recovered');
    [row] = await getDb().select().from(schema.channels).where(eq(schema.channels.id, ch.id));
    check(row.feedConsecutiveFailures === 0 && (await videosOf()) === 1, `after recovery: failures ${row.feedConsecutiveFailures}, videos ${await videosOf()}`);
    note('feed back → 1 video stored, failures reset');
  });
});

test('e2e Google Sheets: a sync whose export fails answers 502 naming Sheets and is not marked done', { timeout: 120_000 }, async () => {
  await e2eCase('sheets → POST /sheets/sync (export values:batchUpdate 503 ×4)', async (check, note) => {
    const { sheets } = await e2e();
    const { getDb, schema } = D;
    sheets.setSheet('채널목록', [['채널 ID', '유형', '상태']]);
    const isExport = (r: { path: string }) => r.path.endsWith('/values:batchUpdate');
    for (let i = 0; i < 4; i++) sheets.failNext(503, undefined, undefined, isExport);
    let res = await api('POST', '/api/v1/sheets/sync');
    check(res.status === 502 && res.json?.error?.code === 'upstream_failed', `503: ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
    for (const p of unclearText(res.json?.error?.message, /sheets/i, /503/)) check(false, `503: ${p}`);
    const status = await api('GET', '/api/v1/sheets/sync');
    check(status.json?.lastSync?.ok === false && /503/.test(status.json?.lastSync?.error ?? ''), `last sync: ${JSON.stringify(status.json?.lastSync).slice(0, 200)}`);
    const done = await getDb().select().from(schema.auditEvents).where(and(eq(schema.auditEvents.action, 'sheets.sync'), sql`(${schema.auditEvents.detail}->>'ok')::boolean`));
    check(done.length === 0, 'a sync was recorded as done');
    const exported = sheets.getSheet('채널 내보내기') ?? [];
    check(exported.length === 0, `${exported.length} rows in the export tab after the failed sync`);
    note(`503 ×4 on the export → ${res.status} "${res.json?.error?.message?.slice(0, 90)}"; last sync ok=false; export tab empty`);
    res = await api('POST', '/api/v1/sheets/sync');
    check(res.status === 200, `after recovery: ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
    const after = await api('GET', '/api/v1/sheets/sync');
    check(after.json?.lastSync?.ok === true, 'the recovered sync is not marked done');
    note(`Sheets back → ${res.status}, marked done`);
  });
});

test('e2e Slack: a digest Slack refuses (500 ×4, then a 200 without "ok") is not marked sent; sent once when Slack is back', { timeout: 120_000 }, async () => {
  await e2eCase('slack → notify.digest job (500 ×4; 200 without "ok")', async (check, note) => {
    const { slack } = await e2e();
    const { getDb, schema } = D;
    const c = await insertCandidate({ name: '아누아 어성초 토너', score: 70 });
    const announced = async () =>
      (await getDb().select().from(schema.auditEvents).where(and(eq(schema.auditEvents.action, 'notify.digest'), eq(schema.auditEvents.target, `video:${c.videoId}`)))).length;
    for (let i = 0; i < 4; i++) slack.failNext(500);
    let err = await runJob('notify.digest', { videoId: String(c.videoId) }, { final: false });
    check(err instanceof Error && /slack/i.test(err.message) && /500/.test(err.message), `500: ${String(err)}`);
    check((await announced()) === 0, 'the digest was marked sent after Slack failed');
    slack.failNext(200, '<html><body>Sign in to continue</body></html>');
    err = await runJob('notify.digest', { videoId: String(c.videoId) }, { final: false });
    check(err instanceof Error && /slack/i.test(err.message), `200 without ok: ${String(err)}`);
    if (err instanceof Error) for (const p of unclearText(err.message, /slack/i, /unexpected|not delivered/i)) check(false, `200 without ok: ${p}`);
    check((await announced()) === 0, 'the digest was marked sent though Slack did not say ok');
    note(`500 ×4 and a 200 without "ok" → the job fails, digest not marked sent`);
    const before = slack.messages.length;
    check((await runJob('notify.digest', { videoId: String(c.videoId) })) === null, 'the digest failed with Slack back');
    check((await runJob('notify.digest', { videoId: String(c.videoId) })) === null, 'the second run failed');
    check(slack.messages.length - before === 1 && (await announced()) === 1, `Slack back: ${slack.messages.length - before} messages, ${await announced()} marked`);
    note('Slack back → sent exactly once (a rerun sends nothing)');
  });
});

test('figures: end-to-end cases', () => {
  recordFigure({ area: AREA, name: 'e2e cases held', value: `${e2eResults.filter((r) => r.held).length}/${e2eResults.length}`, note: 'jobs run as the queue runs them on their last attempt; API through the built app' });
});
