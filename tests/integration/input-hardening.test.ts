/**
 * Input hardening through the real server (`scripts/start.ts`): text Postgres cannot store (NUL, lone UTF-16
 * surrogates) is a 400 naming the field, in every JSON body, query string and upload; the origin check for
 * cookie-authenticated writes (sign-out included) compares scheme, host and port and never answers 500; sign-out
 * redirects relative to the request; broken percent-encoding in a path is a 4xx in the error shape; and a failed
 * insert never writes a password or token hash to the log.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';
import { sharedDir } from '../fakes/http';
import { schema } from '@/src/server/db';
import { seedDemo } from '@/src/demo/seed-candidates';

const TOKEN = 'input-hardening-token-0123456789';
const MP4 = path.join(sharedDir(), 'models/fixtures/vlog_roundlab_60s.mp4');
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
let server: TestServer;
let database: { url: string; drop(): Promise<void> };
let pool: pg.Pool;

before(async () => {
  database = await createTestDatabase('harden');
  server = await startServer({ DATABASE_URL: database.url, API_TOKEN: TOKEN, ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'long-enough-pw' });
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  await seedDemo(drizzle(pool, { schema, casing: 'snake_case' }), { count: 3 });
});
after(async () => {
  await pool?.end();
  await server?.stop();
  await database?.drop();
});

/** A raw JSON text, so lone surrogates arrive as `\ud800` escapes exactly as a client would send them. */
const send = (method: string, p: string, body: unknown, headers: Record<string, string> = auth) =>
  fetch(`${server.url}${p}`, { method, headers, body: JSON.stringify(body), redirect: 'manual' });

/** '' when the response is the 400 naming `field`, else what came back (so one run lists every case that fails). */
async function badFieldProblem(res: Response, field: string, what: string): Promise<string> {
  const text = await res.text();
  let body: { error?: { code?: string; field?: string; message?: string } } = {};
  try {
    body = JSON.parse(text);
  } catch {
    /* reported below */
  }
  const ok = res.status === 400 && body.error?.code === 'bad_request' && body.error.field === field && body.error.message?.startsWith(`${field}: `);
  return ok ? '' : `${what}: ${res.status} ${text.slice(0, 200)}`;
}
const noProblems = (problems: string[]) => assert.deepEqual(problems.filter(Boolean), []);

/** A session for the bootstrap admin, made the way signIn stores it (the row is keyed by the cookie's SHA-256). */
async function adminSession(): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  const hash = crypto.createHash('sha256').update(token).digest('hex');
  await pool.query(`INSERT INTO sessions (id, user_id, expires_at) SELECT $1, id, now() + interval '1 day' FROM users WHERE email = 'admin@example.com'`, [hash]);
  return token;
}
const sessionAlive = async (token: string) =>
  (await pool.query('SELECT 1 FROM sessions WHERE id = $1', [crypto.createHash('sha256').update(token).digest('hex')])).rowCount === 1;

test('a NUL or a lone surrogate in any JSON body or query string is a 400 naming the field, and nothing is stored', async () => {
  const { rows } = await pool.query<{ id: string; version: number }>('SELECT id, version FROM candidates ORDER BY id LIMIT 1');
  const candidate = rows[0];
  const celeb = await send('POST', '/api/v1/celebrities', { name: '정상 이름' });
  assert.equal(celeb.status, 201);
  const celebId = (await celeb.json()).id;

  const cases: [string, string, unknown, string][] = [
    ['POST', '/api/v1/celebrities', { name: 'a\u0000b' }, 'name'],
    ['POST', '/api/v1/celebrities', { name: 'ok', aliases: ['fine', 'x\uD800'] }, 'aliases.1'],
    ['PATCH', `/api/v1/celebrities/${celebId}`, { name: '\uDC00' }, 'name'],
    ['POST', '/api/v1/tokens', { name: 'token\u0000' }, 'name'],
    ['POST', '/api/v1/operators', { email: 'nul@example.com', name: 'op\u0000' }, 'name'],
    ['POST', '/api/v1/operators', { email: 'nul@example.com', name: 'op\uD83D' }, 'name'],
    ['PATCH', `/api/v1/candidates/${candidate.id}`, { version: candidate.version, hook_sentence: 'hook\u0000' }, 'hook_sentence'],
    ['PATCH', `/api/v1/candidates/${candidate.id}`, { version: candidate.version, features: ['ok', '\uDFFF'] }, 'features.1'],
    ['POST', `/api/v1/candidates/${candidate.id}/transition`, { to: 'approved', note: 'n\u0000' }, 'note'],
    ['POST', '/api/v1/channels', { input: '@handle\u0000', kind: 'celebrity' }, 'input'],
    ['PATCH', '/api/v1/settings/schedules', { backupCron: '15 3 * * *\u0000' }, 'backupCron'],
  ];
  const problems: string[] = [];
  for (const [method, p, body, field] of cases) {
    problems.push(await badFieldProblem(await send(method, p, body), field, `${method} ${p} ${JSON.stringify(body)}`));
  }
  for (const [p, field] of [['/api/v1/candidates?q=%00', 'q'], ['/api/v1/celebrities?q=a%00b', 'q'], ['/api/v1/videos?cursor=%00', 'cursor'], ['/api/v1/videos/%00', 'id']]) {
    problems.push(await badFieldProblem(await fetch(`${server.url}${p}`, { headers: auth }), field, `GET ${p}`));
  }
  noProblems(problems);

  // Signed out, the same request is still a 401 (authentication comes first).
  assert.equal((await send('POST', '/api/v1/celebrities', { name: 'a\u0000b' }, { 'content-type': 'application/json' })).status, 401);
  // Nothing half-stored, and ordinary text still works.
  assert.equal((await pool.query(`SELECT 1 FROM celebrities WHERE name LIKE 'a%b' OR name = 'ok'`)).rowCount, 0);
  assert.equal((await pool.query(`SELECT 1 FROM users WHERE email = 'nul@example.com'`)).rowCount, 0);
  assert.equal((await send('POST', '/api/v1/tokens', { name: '정상 토큰 😀' })).status, 201, 'a surrogate pair is fine');
});

/** A multipart body written by hand, so file names reach the server byte for byte. */
function multipart(parts: { name: string; filename?: string; filenameStar?: string; body: Buffer | string }[]) {
  const boundary = `----hardening${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let disposition = `form-data; name="${p.name}"`;
    if (p.filename !== undefined) disposition += `; filename="${p.filename}"`;
    if (p.filenameStar !== undefined) disposition += `; filename*=UTF-8''${p.filenameStar}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`), Buffer.from(p.body), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
const upload = (parts: Parameters<typeof multipart>[0]) => {
  const { body, contentType } = multipart(parts);
  return fetch(`${server.url}/api/v1/videos/upload`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType }, body });
};

test('an upload with a NUL in its title, description, file name or captions is a 400 naming the field; nothing is kept', async () => {
  const video = fs.readFileSync(MP4);
  const captions = 'WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n안녕하세요\u0000 여러분\n';
  const file = { name: 'file', filename: 'vlog.mp4', body: video };
  const cases: [Parameters<typeof multipart>[0], string, string][] = [
    [[file, { name: 'title', body: '제목\u0000' }], 'title', 'title'],
    [[file, { name: 'description', body: 'x\u0000' }], 'description', 'description'],
    [[{ name: 'file', filename: 'vl\u0000og.mp4', body: video }], 'file', 'file name'],
    [[{ name: 'file', filenameStar: 'vl%00og.mp4', body: video }], 'file', 'file name (RFC 5987)'],
    // Refused on the part's headers, before its body is read: a small body, so the early answer cannot race the upload.
    [[{ name: 'file', filenameStar: 'vl%c0og.mp4', body: 'x' }], 'file', 'file name (broken percent-encoding)'],
    [[file, { name: 'captions', filename: 'ko\u0000.vtt', body: 'WEBVTT\n' }], 'captions', 'captions file name'],
    [[file, { name: 'captions', filename: 'ko.vtt', body: captions }], 'captions', 'vtt captions text'],
    [[file, { name: 'captions', filename: 'ko.srt', body: '1\n00:00:01,000 --> 00:00:04,000\nhi\u0000\n' }], 'captions', 'srt captions text'],
  ];
  const problems: string[] = [];
  for (const [parts, field, what] of cases) problems.push(await badFieldProblem(await upload(parts), field, what));
  noProblems(problems);
  assert.equal((await pool.query(`SELECT 1 FROM videos WHERE source_kind = 'upload'`)).rowCount, 0);
});

const sessionHeaders = (session: string, origin?: string) => ({
  cookie: `ii_session=${session}`,
  'content-type': 'application/json',
  ...(origin === undefined ? {} : { origin }),
});

test('an Origin of null or one that does not parse is a 403 in the error shape, not a 500', async () => {
  const session = await adminSession();
  const problems: string[] = [];
  for (const origin of ['null', 'not a url', 'http://[']) {
    const res = await send('POST', '/api/v1/celebrities', { name: `refused ${origin}` }, sessionHeaders(session, origin));
    const text = await res.text();
    if (res.status !== 403 || !text.includes('"code":"forbidden"')) problems.push(`Origin ${origin}: ${res.status} ${text}`);
  }
  noProblems(problems);
  assert.equal((await pool.query(`SELECT 1 FROM celebrities WHERE name LIKE 'refused %'`)).rowCount, 0);
});

test('cookie-authenticated writes must come from the same scheme, host and port', async () => {
  const session = await adminSession();
  const port = new URL(server.url).port;
  const problems: string[] = [];
  for (const origin of [`https://127.0.0.1:${port}`, `http://127.0.0.1:${Number(port) + 1}`, 'http://evil.example']) {
    const res = await send('POST', '/api/v1/celebrities', { name: `other ${origin}` }, sessionHeaders(session, origin));
    const text = await res.text();
    if (res.status !== 403 || !text.includes('"code":"forbidden"')) problems.push(`Origin ${origin}: ${res.status} ${text}`);
  }
  noProblems(problems);
  assert.equal((await pool.query(`SELECT 1 FROM celebrities WHERE name LIKE 'other %'`)).rowCount, 0);
  assert.equal((await send('POST', '/api/v1/celebrities', { name: '같은 출처' }, sessionHeaders(session, server.url))).status, 201);
  // Behind a TLS-terminating proxy the page is https: the proxy says so in X-Forwarded-Proto.
  const viaTls = { ...sessionHeaders(session, `https://127.0.0.1:${port}`), 'x-forwarded-proto': 'https' };
  assert.equal((await send('POST', '/api/v1/celebrities', { name: 'TLS 프록시' }, viaTls)).status, 201);
  assert.equal((await send('POST', '/api/v1/celebrities', { name: '출처 없음' }, sessionHeaders(session))).status, 201, 'no Origin (non-browser client)');
  // Reads and Bearer clients are not origin-checked.
  assert.equal((await fetch(`${server.url}/api/v1/celebrities`, { headers: sessionHeaders(session, 'null') })).status, 200);
  assert.equal((await send('POST', '/api/v1/celebrities', { name: 'bearer' }, { ...auth, origin: 'null' })).status, 201);
});

const logout = (session: string, origin: string) =>
  fetch(`${server.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: `ii_session=${session}`, origin } });

test('sign-out ends the session and redirects to /login on the host the request came to, never 0.0.0.0', async () => {
  const session = await adminSession();
  const res = await logout(session, server.url);
  assert.equal(res.status, 303);
  const location = res.headers.get('location') ?? '';
  assert.doesNotMatch(location, /0\.0\.0\.0/);
  assert.equal(new URL(location, server.url).href, `${server.url}/login`);
  assert.match(res.headers.get('set-cookie') ?? '', /ii_session=;/);
  assert.equal(await sessionAlive(session), false);
});

test('sign-out from another origin is refused with a 403 and leaves the session alone', async () => {
  const session = await adminSession();
  const problems: string[] = [];
  for (const origin of ['http://evil.example', 'null', `https://127.0.0.1:${new URL(server.url).port}`]) {
    const res = await logout(session, origin);
    const text = await res.text();
    if (res.status !== 403 || !text.includes('"code":"forbidden"')) problems.push(`Origin ${origin}: ${res.status} ${text.slice(0, 200)}`);
    if (!(await sessionAlive(session))) problems.push(`Origin ${origin}: the session was ended`);
  }
  noProblems(problems);
});

test('broken percent-encoding in a path is a 4xx in the error shape: 401 signed out, 400/404 signed in', async () => {
  const problems: string[] = [];
  for (const p of ['/api/v1/videos/%c0', '/api/v1/candidates/%E0%A4%A', '/api/media/..%c0%af', '/api/media/1/%ff.jpg', '/api/media/1/100%25.jpg']) {
    const signedOut = await fetch(`${server.url}${p}`);
    const text = await signedOut.text();
    if (signedOut.status !== 401 || !text.includes('"code":"unauthorized"')) problems.push(`${p} signed out: ${signedOut.status} ${text.slice(0, 200)}`);
    const signedIn = await fetch(`${server.url}${p}`, { headers: auth });
    const body = await signedIn.text();
    if (![400, 404].includes(signedIn.status) || !/"code":"(bad_request|not_found)"/.test(body)) problems.push(`${p} signed in: ${signedIn.status} ${body.slice(0, 200)}`);
  }
  noProblems(problems);
});

test('a duplicate insert of an operator never writes the password hash to the log', async () => {
  // Another writer holds an uncommitted row with the same e-mail: the API's check sees nothing, its insert waits on
  // the unique index and fails with a unique violation once that row commits.
  const other = new pg.Client({ connectionString: database.url });
  await other.connect();
  try {
    await other.query('BEGIN');
    await other.query(`INSERT INTO users (email, name, password_hash) VALUES ('race@example.com', '', 'held')`);
    const pending = send('POST', '/api/v1/operators', { email: 'race@example.com', password: 'race-password-123' });
    const until = Date.now() + 20_000;
    while ((await other.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rowCount === 0) {
      assert.ok(Date.now() < until, 'the API insert never waited on the held row');
      await new Promise((r) => setTimeout(r, 50));
    }
    await other.query('COMMIT');
    const res = await pending;
    assert.ok(res.status >= 400, `status ${res.status}`);
  } finally {
    await other.end();
  }
  const logged = async () => {
    for (let i = 0; i < 50 && !/users_email_unique/.test(server.output()); i++) await new Promise((r) => setTimeout(r, 100));
    return server.output();
  };
  const out = await logged();
  assert.doesNotMatch(out, /scrypt\$/, 'no password hash in the log');
  assert.doesNotMatch(out, /race-password-123/);
  assert.match(out, /users_email_unique/, 'the constraint is logged');
  assert.match(out, /"code":"23505"/, 'the error code is logged');
});

test('a duplicate insert of an API token never writes the token hash to the log', async () => {
  const { createLogger } = await import('@/src/server/logger');
  const { toHttpError } = await import('@/src/server/auth/with-api');
  const lines: string[] = [];
  const g = globalThis as unknown as { __influenceLogger?: unknown };
  const saved = g.__influenceLogger;
  g.__influenceLogger = createLogger(new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }), 'warn');
  const db = drizzle(pool, { schema, casing: 'snake_case' });
  const tokenHash = crypto.createHash('sha256').update(crypto.randomBytes(16)).digest('hex');
  try {
    await db.insert(schema.apiTokens).values({ name: 'first', tokenHash, prefix: 'ii_first' });
    const err = await db
      .insert(schema.apiTokens)
      .values({ name: 'second', tokenHash, prefix: 'ii_second' })
      .then(
        () => assert.fail('the duplicate was accepted'),
        (e: unknown) => e,
      );
    assert.equal(toHttpError(err).status, 500);
  } finally {
    g.__influenceLogger = saved;
  }
  const out = lines.join('');
  assert.match(out, /unhandled API error/);
  assert.equal(out.includes(tokenHash), false, `no token hash in the log: ${out}`);
  assert.match(out, /api_tokens_tokenHash_unique/, 'the constraint is logged');
  assert.match(out, /"code":"23505"/, 'the error code is logged');
});
