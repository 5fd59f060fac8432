/**
 * Security: the real app (`scripts/start.ts` through startServer) attacked from outside. It runs with TRUST_PROXY_HOPS=1
 * (so X-Forwarded-For names the client, as behind one reverse proxy), every integration pointed at a local fake, and
 * distinctive secrets in its environment; workers run only the queues that could fetch a user URL or use a secret.
 *
 * 1. Route crawler: every app/**‍/route.ts with the methods it exports and every app/**‍/page.tsx as a URL (sample
 *    params), so a new route is covered without editing this file. Each is called signed out, with a wrong Bearer
 *    token and with a forged `ii_session` cookie: the API answers 401 in the error shape, pages (and non-API routes)
 *    redirect to /login without leaking data. Public: only the allow-list below. A real token on every GET route is
 *    the control (not 401).
 * 2. Sessions: sign-in in Chromium gives a new session id each time (a planted cookie is replaced), the cookie is
 *    HttpOnly + SameSite; an expired session row stops the cookie; sign-out deletes the session. Throttling through the
 *    login form's server action (the no-JS form post a browser makes): 6 wrong passwords from address A are throttled
 *    at A (also when A rotates the left part of X-Forwarded-For), the right password from B still signs in; 20 wrong
 *    passwords from one address throttle the address. Timing: the median time of a wrong password for a known and an
 *    unknown e-mail are within a factor 1.7.
 * 3. CSRF: every state-changing route with the session cookie and Origin `null`, another scheme, host or port → 403
 *    in the error shape and nothing changed in the database; the same origin passes; the login action refuses a
 *    cross-origin post.
 * 4. SSRF: POST /api/v1/videos (direct media URLs are fetched by the media worker) and POST /api/v1/channels (parsed
 *    only) with loopback, private, link-local, IPv6/IPv4-mapped, numeric and named (localhost, /etc/hosts) hosts and
 *    other schemes → 400, nothing stored; safeFetch (src/server/integrations/http/safe-fetch.ts) with a local
 *    redirector answering 30x to private targets → refused at the hop; DNS rebinding: the resolver is asked once per
 *    hop and the socket goes to the address that was checked. No connection ever reaches the canary listener.
 * 5. Path traversal on /api/media/[...path]: '..', encoded and double-encoded, backslashes, absolute paths, NUL,
 *    overlong UTF-8, symlinks out of the media folder → 4xx, never the canary file beside DATA_DIR.
 * 6. XSS: payloads in every text field the API writes (celebrities, channels via the YouTube fake, an upload's title,
 *    candidate edit fields and notes, operators, tokens, settings, a Coupang product name via the Coupang fake), then
 *    the console pages in Chromium: no dialog, no payload code ran (a window flag), no injected element, no
 *    javascript: link; the payloads are shown as text. The detector is checked first on a page that is vulnerable.
 * 7. Secrets: the server log (LOG_LEVEL=debug) is scanned after everything above for every configured secret, created
 *    token, session token and generated password.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { createTestDatabase } from '../helpers/db';
import { root, startServer, type TestServer } from '../helpers/server';
import {
  sharedDir,
  startCoupangFake,
  startGeminiFake,
  startSlackFake,
  startYoutubeDataFake,
  type CoupangFake,
  type GeminiFake,
  type SlackFake,
  type YoutubeDataFake,
} from '../fakes/index';
import { schema } from '@/src/server/db';
import { seedDemo } from '@/src/demo/seed-candidates';
import { defaultLookup, nodeTransport, safeFetch, type HopTransport, type LookupAll, type ResolvedAddress } from '@/src/server/integrations/http/safe-fetch';
import { normalizeKeyword } from '@/src/server/monetization/match';
import { ko } from '@/app/_i18n/ko';
import { recordFigure } from './lib/figures';

const AREA = 'Security';
const rand = () => crypto.randomBytes(6).toString('hex');
/** Distinctive secrets: each appears nowhere but in the server's environment (and where the suite uses it). */
const SECRET = {
  API_TOKEN: `secsuite-api-token-${rand()}`,
  ADMIN_PASSWORD: `secsuite-admin-pw-${rand()}`,
  GEMINI_API_KEY: `secsuite-gemini-key-${rand()}`,
  COUPANG_ACCESS_KEY: `secsuite-coupang-access-${rand()}`,
  COUPANG_SECRET_KEY: `secsuite-coupang-secret-${rand()}`,
  YOUTUBE_API_KEY: `secsuite-youtube-key-${rand()}`,
  SLACK_HOOK_TOKEN: `secsuiteSlackHook${rand()}`,
};
const ADMIN_EMAIL = 'sec-admin@example.com';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MP4 = fs.readFileSync(path.join(sharedDir(), 'models/fixtures/vlog_roundlab_60s.mp4'));
const VTT = fs.readFileSync(path.join(root, 'tests/fixtures/media/vlog_roundlab_60s.ko.vtt'), 'utf8');
const CANARY = `canary-${rand()}-must-never-be-served`;

/**
 * The only routes that answer without credentials. A route matching none of these must refuse every caller without a
 * valid session or token. The link-in-bio page (issue 16) is listed route by route: a new route under /l is not
 * public until it is added here.
 */
const PUBLIC_ROUTES: { pattern: RegExp; why: string }[] = [
  { pattern: /^\/api\/health$/, why: 'health check for load balancers and the container HEALTHCHECK' },
  { pattern: /^\/login$/, why: 'the sign-in page' },
  { pattern: /^\/l$/, why: 'the link-in-bio page: published products only, no internal fields' },
  { pattern: /^\/l\/\[celebrity\]$/, why: "the link-in-bio page of one celebrity's published products" },
  { pattern: /^\/l\/p\/\[slug\]$/, why: "a published product's short link: 302 to its Coupang deep link, click counted" },
  { pattern: /^\/l\/p\/\[slug\]\/image$/, why: "a published product's crop (its thumbnail on the page)" },
];
const isPublic = (template: string) => PUBLIC_ROUTES.some((p) => p.pattern.test(template));

// ── the route tree ───────────────────────────────────────────────────────────────────────────────────────────────

type Segment = { kind: 'static'; value: string } | { kind: 'param'; name: string; catchAll: boolean };
type RouteEntry = { kind: 'route' | 'page'; template: string; segments: Segment[]; methods: string[]; file: string };
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every app/**‍/route.* (with the HTTP methods it exports) and app/**‍/page.* (a GET URL). */
function discoverRouteTree(): RouteEntry[] {
  const appDir = path.join(root, 'app');
  const out: RouteEntry[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('_')) walk(p); // _private folders are not routes
        continue;
      }
      const isRoute = /^route\.(ts|tsx|js|mjs)$/.test(entry.name);
      const isPage = /^page\.(ts|tsx|js|jsx|mdx)$/.test(entry.name);
      if (!isRoute && !isPage) continue;
      const segments: Segment[] = [];
      for (const s of path.relative(appDir, dir).split(path.sep).filter(Boolean)) {
        if (/^\(.*\)$/.test(s) || s.startsWith('@')) continue; // route groups and parallel slots are not in the URL
        const m = /^\[\[?(\.\.\.)?([^\]]+)\]\]?$/.exec(s);
        segments.push(m ? { kind: 'param', name: m[2], catchAll: !!m[1] } : { kind: 'static', value: s });
      }
      const template = '/' + segments.map((s) => (s.kind === 'static' ? s.value : `[${s.catchAll ? '...' : ''}${s.name}]`)).join('/');
      let methods = ['GET'];
      if (isRoute) {
        const src = fs.readFileSync(p, 'utf8');
        const found = new Set<string>();
        for (const m of src.matchAll(/export\s+(?:const|let|var|async\s+function|function)\s+([A-Z]+)\b/g)) if (HTTP_METHODS.includes(m[1])) found.add(m[1]);
        for (const m of src.matchAll(/export\s*\{([^}]*)\}/g)) {
          for (const part of m[1].split(',')) {
            const name = part.trim().split(/\s+as\s+/).pop()!.trim();
            if (HTTP_METHODS.includes(name)) found.add(name);
          }
        }
        methods = [...found].sort();
      }
      out.push({ kind: isRoute ? 'route' : 'page', template, segments, methods, file: path.relative(root, p) });
    }
  };
  walk(appDir);
  return out.sort((a, b) => a.template.localeCompare(b.template));
}

const tree = discoverRouteTree();
const isApi = (t: string) => t === '/api' || t.startsWith('/api/');

/** A URL for a template: each parameter from `values` by name, else a generic sample. */
function urlFor(entry: RouteEntry, values: Record<string, string> = {}): string {
  const sample: Record<string, string> = { id: '1', path: '1/source.mp4', queue: 'video.ingest', key: 'budgets', ...values };
  return (
    '/' +
    entry.segments
      .map((s) => (s.kind === 'static' ? s.value : (sample[s.name] ?? 'sample').split('/').map(encodeURIComponent).join('/')))
      .join('/')
  ).replace(/^\/\/$/, '/');
}

// ── HTTP ─────────────────────────────────────────────────────────────────────────────────────────────────────────

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: Buffer; text: string; ms: number };

/** One request with the path exactly as given (node:http sends it raw: '..' and encodings stay as written). */
function request(method: string, rawPath: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const req = http.request(
      { host: '127.0.0.1', port: server.port, method, path: rawPath, agent: false, headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const b = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b, text: b.toString('utf8'), ms: performance.now() - t0 });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error(`no answer in 60 s: ${method} ${rawPath}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

const json = (v: unknown) => JSON.stringify(v);
const bearer = () => ({ authorization: `Bearer ${SECRET.API_TOKEN}` });
const jsonHeaders = (h: Record<string, string> = bearer()) => ({ ...h, 'content-type': 'application/json' });

async function api<T = any>(method: string, p: string, body?: unknown, headers: Record<string, string> = bearer()): Promise<{ status: number; body: T; text: string }> {
  const res = await request(method, p, body === undefined ? headers : jsonHeaders(headers), body === undefined ? undefined : json(body));
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(res.text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T, text: res.text };
}

/** The documented error shape `{error: {code, message, field?}}`, or what is wrong with the body. */
function shapeProblem(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 160)}`;
  }
  const e = (parsed as { error?: Record<string, unknown> } | null)?.error;
  if (!e || typeof e !== 'object') return `no error object: ${text.slice(0, 160)}`;
  if (typeof e.code !== 'string' || !e.code) return `error.code is not a string: ${text.slice(0, 160)}`;
  if (typeof e.message !== 'string' || !e.message) return `error.message is not a string: ${text.slice(0, 160)}`;
  if (e.field !== undefined && typeof e.field !== 'string') return `error.field is not a string: ${text.slice(0, 160)}`;
  return null;
}
const errorCode = (text: string): string | undefined => {
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
};
const redirectsToLogin = (a: Answer) =>
  a.status >= 300 && a.status < 400 && !!a.headers.location && new URL(a.headers.location, server.url).pathname === '/login';

/** Fails with the whole list when it is not empty. */
function none(list: string[], what: string): void {
  assert.ok(list.length === 0, `${what}:\n  ${list.slice(0, 30).join('\n  ')}${list.length > 30 ? `\n  … ${list.length - 30} more` : ''}`);
}
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
let ipCounter = 0;
/** A fresh client address (198.18.0.0/15, the benchmarking range) for each sign-in scenario. */
const nextIp = () => {
  const n = ipCounter++;
  return `198.18.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
};

// ── the app and its surroundings ─────────────────────────────────────────────────────────────────────────────────

let server: TestServer;
let database: { url: string; drop(): Promise<void> };
let pool: pg.Pool;
let tmpRoot = '';
let dataDir = '';
let youtube: YoutubeDataFake;
let gemini: GeminiFake;
let coupang: CoupangFake;
let slack: SlackFake;
let browser: Browser | undefined;
/** Canary HTTP listeners on 127.0.0.1 and [::1] (same port): any connection to them is a server-side request forgery. */
let canaryPort = 0;
const canaryHits: string[] = [];
/** Values that must never reach the log: filled as tokens, sessions and passwords are made. */
const secretsToScan = new Map<string, string>();
/** Data a signed-out caller must never see (the admin's e-mail, seeded names). */
let privateData: string[] = [];
/** A real id per collection (`videos`, `candidates` …) for the `[id]` of pages and routes under it. */
const realIds: Record<string, string> = {};
/** The parameter values for a template: `[id]` after /videos/ is a real video id, and so on. */
const realParams = (template: string): Record<string, string> => {
  const m = /\/([a-z]+)\/\[id\]/.exec(template);
  return m && realIds[m[1]] ? { id: realIds[m[1]] } : {};
};
const cleanups: (() => Promise<unknown> | unknown)[] = [];

function listen(host: string, port: number, onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const srv = http.createServer(onRequest);
    srv.once('error', reject);
    srv.listen(port, host, () => resolve(srv));
  });
}
const closeServer = (srv: http.Server) => new Promise<void>((r) => (srv.closeAllConnections(), srv.close(() => r())));

before(async () => {
  tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-sec-'));
  dataDir = path.join(tmpRoot, 'data');
  fs.mkdirSync(path.join(dataDir, 'media'), { recursive: true });
  // Canary files: beside DATA_DIR, inside DATA_DIR but outside media, and a symlink / directory link out of media.
  fs.writeFileSync(path.join(tmpRoot, 'canary.txt'), CANARY);
  fs.writeFileSync(path.join(dataDir, 'canary.txt'), CANARY);
  fs.symlinkSync(path.join(tmpRoot, 'canary.txt'), path.join(dataDir, 'media', 'evil-link.txt'));
  fs.symlinkSync(tmpRoot, path.join(dataDir, 'media', 'evil-dir'));
  fs.mkdirSync(path.join(dataDir, 'media', 'ctl'));
  fs.writeFileSync(path.join(dataDir, 'media', 'ctl', 'frame.jpg'), 'inside-the-media-folder');
  cleanups.push(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

  const canary = (req: http.IncomingMessage, res: http.ServerResponse) => {
    canaryHits.push(`${req.socket.localAddress} ${req.method} ${req.url} host=${req.headers.host}`);
    res.end('canary');
  };
  const c4 = await listen('127.0.0.1', 0, canary);
  canaryPort = (c4.address() as { port: number }).port;
  const c6 = await listen('::1', canaryPort, canary);
  for (const s of [c4, c6]) s.on('connection', (sock) => canaryHits.push(`connection to ${sock.localAddress}:${canaryPort}`));
  cleanups.push(() => closeServer(c4), () => closeServer(c6));

  youtube = await startYoutubeDataFake({ apiKey: SECRET.YOUTUBE_API_KEY });
  gemini = await startGeminiFake({ apiKey: SECRET.GEMINI_API_KEY });
  coupang = await startCoupangFake({ accessKey: SECRET.COUPANG_ACCESS_KEY, secretKey: SECRET.COUPANG_SECRET_KEY });
  slack = await startSlackFake({ path: `/services/TSECSUITE/BSECSUITE/${SECRET.SLACK_HOOK_TOKEN}` });
  cleanups.push(() => youtube.close(), () => gemini.close(), () => coupang.close(), () => slack.close());

  database = await createTestDatabase('rsec');
  cleanups.push(() => database.drop());
  server = await startServer(
    {
      DATABASE_URL: database.url,
      API_TOKEN: SECRET.API_TOKEN,
      ADMIN_EMAIL,
      ADMIN_PASSWORD: SECRET.ADMIN_PASSWORD,
      TRUST_PROXY_HOPS: '1',
      LOG_LEVEL: 'debug',
      ALLOW_PRIVATE_URLS: '',
      // The queues that fetch a submitted URL (ingest, media) and the ones that use the Gemini key and the Slack
      // webhook; the heavy analysis queues stay idle so the timing measurements are not disturbed.
      APP_ROLE: 'all',
      WORKER_QUEUES: 'video.ingest,video.media,video.transcript,video.windows,notify.digest',
      GEMINI_API_KEY: SECRET.GEMINI_API_KEY,
      GEMINI_BASE_URL: gemini.url,
      COUPANG_ACCESS_KEY: SECRET.COUPANG_ACCESS_KEY,
      COUPANG_SECRET_KEY: SECRET.COUPANG_SECRET_KEY,
      COUPANG_BASE_URL: coupang.url,
      YOUTUBE_API_KEY: SECRET.YOUTUBE_API_KEY,
      GOOGLE_API_ROOT_URL: youtube.url,
      YOUTUBE_FEED_BASE_URL: `http://127.0.0.1:${canaryPort}/feeds-must-not-be-polled`,
      SLACK_WEBHOOK_URL: slack.webhookUrl,
      MODELS_BASE_URL: `${slack.url}/no-models-here`,
    },
    { dataDir },
  );
  cleanups.push(() => server.stop());
  for (const [name, value] of Object.entries(SECRET)) secretsToScan.set(name, value);
  secretsToScan.set('SLACK_WEBHOOK_URL', slack.webhookUrl);

  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  cleanups.push(() => pool.end());
  await seedDemo(drizzle(pool, { schema, casing: 'snake_case' }), { count: 12 });
  const celebs = await pool.query(`SELECT name FROM celebrities`);
  const videos = await pool.query(`SELECT v.id, v.title, (SELECT min(c.id) FROM candidates c WHERE c.video_id = v.id) AS cand FROM videos v WHERE v.title <> '' ORDER BY v.id LIMIT 3`);
  privateData = [ADMIN_EMAIL, ...[...celebs.rows.map((r) => r.name), ...videos.rows.map((r) => r.title)].map(String).filter((n) => n.length >= 4)];
  // Pages with a parameter are crawled at a row that exists (its data is what a forged cookie must not see).
  realIds.videos = String(videos.rows[0].id);
  realIds.candidates = String(videos.rows.find((r) => r.cand)?.cand ?? 1);
});

after(async () => {
  await browser?.close().catch(() => {});
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
});

async function getBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return browser;
}

// ── signing in ───────────────────────────────────────────────────────────────────────────────────────────────────

let loginFields: [string, string][] | null = null;
const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * Signs in through the login page's server action exactly as a browser without JavaScript does: the form's hidden
 * action fields plus e-mail and password, posted as multipart to /login. Success is a redirect with the cookie.
 */
async function formSignIn(email: string, password: string, xff: string, extra: Record<string, string> = {}) {
  if (!loginFields) {
    const page = await request('GET', '/login');
    const form = /<form[\s\S]*?<\/form>/.exec(page.text)?.[0];
    assert.ok(form, 'the login page has a form');
    loginFields = [...form.matchAll(/<input([^>]*)>/g)]
      .map((m) => [/name="([^"]*)"/.exec(m[1])?.[1], /value="([^"]*)"/.exec(m[1])?.[1] ?? ''] as const)
      .filter((f): f is readonly [string, string] => !!f[0] && f[0] !== 'email' && f[0] !== 'password')
      .map(([n, v]) => [unescapeHtml(n), unescapeHtml(v)]);
  }
  const fd = new FormData();
  for (const [n, v] of loginFields) fd.append(n, v);
  fd.append('email', email);
  fd.append('password', password);
  const encoded = new Request('http://x/', { method: 'POST', body: fd });
  const res = await request(
    'POST',
    '/login',
    { origin: server.url, 'x-forwarded-for': xff, 'content-type': encoded.headers.get('content-type')!, ...extra },
    Buffer.from(await encoded.arrayBuffer()),
  );
  const setCookie = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('ii_session='));
  const token = setCookie ? decodeURIComponent(setCookie.split(';')[0].slice('ii_session='.length)) : undefined;
  if (token) secretsToScan.set(`session ${secretsToScan.size}`, token);
  return { status: res.status, token: token || undefined, ms: res.ms, text: res.text };
}

async function newSession(): Promise<string> {
  const r = await formSignIn(ADMIN_EMAIL, SECRET.ADMIN_PASSWORD, nextIp());
  assert.ok(r.token, `sign-in through the form failed: ${r.status} ${r.text.slice(0, 200)}`);
  return r.token;
}

const attemptsFrom = async (ip: string) => Number((await pool.query('SELECT count(*) FROM login_attempts WHERE ip = $1', [ip])).rows[0].count);

// ── 1. every route refuses strangers ─────────────────────────────────────────────────────────────────────────────

test('route crawler: every route and method refuses callers without valid credentials; only the allow-list is public', { timeout: 180_000 }, async () => {
  const routes = tree.filter((e) => e.kind === 'route');
  const pages = tree.filter((e) => e.kind === 'page');
  assert.ok(routes.length >= 10 && pages.length >= 3, `the route tree was not found (${routes.length} routes, ${pages.length} pages)`);
  const wrongToken = SECRET.API_TOKEN.slice(0, -1) + (SECRET.API_TOKEN.endsWith('a') ? 'b' : 'a');
  const kinds: { name: string; headers: Record<string, string> }[] = [
    { name: 'signed out', headers: {} },
    { name: 'wrong Bearer token', headers: { authorization: `Bearer ${wrongToken}` } },
    { name: 'forged ii_session cookie', headers: { cookie: `ii_session=${crypto.randomBytes(32).toString('base64url')}` } },
  ];
  let tried = 0;
  let held = 0;
  let combos = 0;
  let controls = 0;
  const failures: string[] = [];
  const publicSeen: string[] = [];
  for (const entry of tree) {
    if (isPublic(entry.template)) {
      publicSeen.push(`${entry.template} (${entry.kind})`);
      // A public route answers strangers (with its own content, not a redirect).
      if (entry.methods.includes('GET') && !entry.segments.some((s) => s.kind === 'param')) {
        const r = await request('GET', urlFor(entry));
        if (r.status !== 200) failures.push(`public ${entry.template} → ${r.status}`);
      }
      continue;
    }
    const url = urlFor(entry, realParams(entry.template));
    for (const method of entry.methods) {
      combos++;
      for (const kind of kinds) {
        tried++;
        const write = WRITE_METHODS.has(method);
        const r = await request(method, url, write ? { ...kind.headers, 'content-type': 'application/json' } : kind.headers, write ? '{}' : undefined);
        const what = `${method} ${url} [${kind.name}] (${entry.file})`;
        let problem: string | null = null;
        if (entry.kind === 'route' && isApi(entry.template)) {
          if (r.status !== 401) problem = `→ ${r.status}, expected 401: ${r.text.slice(0, 160)}`;
          else if (method !== 'HEAD') problem = shapeProblem(r.text) ?? (errorCode(r.text) === 'unauthorized' ? null : `code ${errorCode(r.text)}, expected unauthorized`);
        } else if (!redirectsToLogin(r)) {
          problem = `→ ${r.status} ${r.headers.location ?? ''}, expected a redirect to /login: ${r.text.slice(0, 160)}`;
        }
        const leaked = privateData.find((d) => r.text.includes(d));
        if (!problem && leaked) problem = `the answer contains private data (${leaked})`;
        if (problem) failures.push(`${what} ${problem}`);
        else held++;
      }
    }
    // Control: the same GET with the real token is not refused (the crawler is not fooled by a server that 401s all).
    if (entry.kind === 'route' && isApi(entry.template) && entry.methods.includes('GET')) {
      controls++;
      const r = await request('GET', url, bearer());
      if (r.status === 401) failures.push(`control: GET ${url} with the real API token → 401`);
    }
  }
  recordFigure({ area: AREA, name: 'route crawler: routes and pages found', value: tree.length, note: `${routes.length} route handlers, ${pages.length} pages, from app/**/route.ts and page.tsx` });
  recordFigure({ area: AREA, name: 'route crawler: public (allow-list)', value: publicSeen.length, note: publicSeen.join(', ') });
  recordFigure({ area: AREA, name: 'route crawler: route × method combinations', value: combos, note: `× ${kinds.length} credential kinds (${kinds.map((k) => k.name).join(', ')})` });
  recordFigure({ area: AREA, name: 'route crawler: requests tried', value: tried, note: `held ${held}, failed ${tried - held}; ${controls} GET controls with the real token` });
  none(failures, 'routes that did not refuse a stranger');
  assert.equal(held, tried);
  assert.ok(publicSeen.some((p) => p.startsWith('/api/health')) && publicSeen.some((p) => p.startsWith('/login')), 'the allow-list is stale');
});

// ── 2. sessions ──────────────────────────────────────────────────────────────────────────────────────────────────

async function browserSignIn(ctx: BrowserContext): Promise<string> {
  const page = await ctx.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel(ko.auth.email).fill(ADMIN_EMAIL);
  await page.getByLabel(ko.auth.password).fill(SECRET.ADMIN_PASSWORD);
  await page.getByRole('button', { name: ko.auth.submit }).click();
  await page.waitForURL(`${server.url}/`, { timeout: 30_000 });
  await page.close();
  const cookie = (await ctx.cookies(server.url)).find((c) => c.name === 'ii_session');
  assert.ok(cookie, 'signed in without a session cookie');
  secretsToScan.set(`browser session ${secretsToScan.size}`, cookie.value);
  return cookie.value;
}
const sessionRows = async (token: string) => Number((await pool.query('SELECT count(*) FROM sessions WHERE id = $1', [sha256(token)])).rows[0].count);
const withCookie = (token: string) => ({ cookie: `ii_session=${token}` });

test('sessions: a new id on every sign-in (a planted cookie is replaced), HttpOnly + SameSite, expiry and sign-out end it', { timeout: 180_000 }, async () => {
  const b = await getBrowser();
  const ctx = await b.newContext({ extraHTTPHeaders: { 'x-forwarded-for': nextIp() }, locale: 'ko-KR' });
  try {
    // Session fixation: a cookie planted before sign-in must not become the session.
    const planted = crypto.randomBytes(32).toString('base64url');
    await ctx.addCookies([{ name: 'ii_session', value: planted, url: server.url }]);
    const first = await browserSignIn(ctx);
    const second = await browserSignIn(ctx); // signing in again in the same browser
    const ctx2 = await b.newContext({ extraHTTPHeaders: { 'x-forwarded-for': nextIp() } });
    const other = await browserSignIn(ctx2).finally(() => ctx2.close());
    assert.notEqual(first, planted, 'the planted cookie survived sign-in');
    assert.notEqual(second, first, 'signing in again kept the same session id');
    assert.notEqual(other, first);
    assert.equal(await sessionRows(planted), 0, 'a session row exists for the planted cookie');
    for (const t of [first, second, other]) assert.equal(await sessionRows(t), 1, 'each sign-in has its own session row');
    const cookie = (await ctx.cookies(server.url)).find((c) => c.name === 'ii_session')!;
    assert.equal(cookie.httpOnly, true, 'the session cookie is readable by scripts');
    assert.ok(cookie.sameSite === 'Lax' || cookie.sameSite === 'Strict', `SameSite=${cookie.sameSite}`);
    assert.ok(cookie.value.length >= 32, 'the session token is short');

    // Expiry: the row expires → the cookie no longer works (API and pages).
    assert.equal((await request('GET', '/api/v1/videos', withCookie(other))).status, 200, 'control: a live session reads');
    await pool.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [sha256(other)]);
    const expiredApi = await request('GET', '/api/v1/videos', withCookie(other));
    assert.equal(expiredApi.status, 401, 'an expired session still reads the API');
    assert.equal(shapeProblem(expiredApi.text), null);
    assert.ok(redirectsToLogin(await request('GET', '/videos', withCookie(other))), 'an expired session still opens pages');

    // Sign-out (the console's button) deletes the session; the old cookie replayed is refused.
    const page = await ctx.newPage();
    await page.goto(`${server.url}/videos`);
    await page.getByRole('button', { name: ko.auth.signOut }).click();
    await page.waitForURL(/\/login/, { timeout: 30_000 });
    await page.close();
    assert.equal(await sessionRows(second), 0, 'sign-out left the session row');
    assert.equal((await ctx.cookies(server.url)).find((c) => c.name === 'ii_session'), undefined, 'sign-out left the cookie in the browser');
    assert.equal((await request('GET', '/api/v1/videos', withCookie(second))).status, 401, 'the signed-out cookie still reads the API');
    assert.ok(redirectsToLogin(await request('GET', '/', withCookie(second))));
    // The first session (same browser, replaced cookie) is independent and still valid; it is not ended by sign-out.
    recordFigure({ area: AREA, name: 'sessions: sign-ins in Chromium', value: 3, note: 'each a new id; planted cookie replaced; expiry and sign-out end the session (API 401, pages → /login)' });
  } finally {
    await ctx.close();
  }
});

test('sign-in throttling: 6 wrong passwords throttle address A (also with a rotated X-Forwarded-For prefix); the right password from B signs in', { timeout: 120_000 }, async () => {
  const A = nextIp();
  const B = nextIp();
  const wrong: { status: number; token?: string; text: string }[] = [];
  for (let i = 0; i < 6; i++) wrong.push(await formSignIn(ADMIN_EMAIL, `wrong-password-${i}`, A));
  assert.ok(wrong.every((w) => !w.token), 'a wrong password signed in');
  // Five are checked and recorded; the sixth is refused before the password is even checked.
  assert.equal(await attemptsFrom(A), 5, 'the sixth wrong password from A was checked (not throttled)');
  const rightFromA = await formSignIn(ADMIN_EMAIL, SECRET.ADMIN_PASSWORD, A);
  assert.equal(rightFromA.token, undefined, 'the right password from the throttled address A signed in');
  const rotated = await formSignIn(ADMIN_EMAIL, SECRET.ADMIN_PASSWORD, `203.0.113.${Math.floor(Math.random() * 200) + 1}, ${A}`);
  assert.equal(rotated.token, undefined, 'a forged left part of X-Forwarded-For escaped the throttle (TRUST_PROXY_HOPS=1)');
  assert.equal(await attemptsFrom(A), 5);
  const rightFromB = await formSignIn(ADMIN_EMAIL, SECRET.ADMIN_PASSWORD, B);
  assert.ok(rightFromB.token, `the right password from another address B was locked out: ${rightFromB.status}`);
  assert.equal((await request('GET', '/api/v1/videos', withCookie(rightFromB.token!))).status, 200);

  // Any e-mail: 20 wrong passwords from one address throttle it (unknown e-mails included), not other addresses.
  const C = nextIp();
  for (let i = 0; i < 20; i++) assert.equal((await formSignIn(`nobody-${i}@example.com`, 'wrong', C)).token, undefined);
  const rightFromC = await formSignIn(ADMIN_EMAIL, SECRET.ADMIN_PASSWORD, C);
  assert.equal(rightFromC.token, undefined, 'after 20 wrong passwords from C the admin signed in from C');
  assert.equal(await attemptsFrom(C), 20);
  assert.ok((await formSignIn(ADMIN_EMAIL, SECRET.ADMIN_PASSWORD, nextIp())).token, 'the admin is locked out everywhere');
  recordFigure({ area: AREA, name: 'throttling: wrong passwords from A before refusal', value: 5, note: '6th refused unchecked; right password from A and from a rotated X-Forwarded-For refused; from B signed in' });
  recordFigure({ area: AREA, name: 'throttling: wrong passwords per address (any e-mail) before refusal', value: 20 });
});

test('no user enumeration by timing: wrong password for a known vs an unknown e-mail', { timeout: 120_000 }, async () => {
  // Warm-up (the decoy hash for unknown e-mails is made on first use; the JIT).
  for (let i = 0; i < 3; i++) {
    await formSignIn(ADMIN_EMAIL, 'warm-up-wrong', nextIp());
    await formSignIn(`warm-${i}@example.com`, 'warm-up-wrong', nextIp());
  }
  const known: number[] = [];
  const unknown: number[] = [];
  const N = 15;
  for (let i = 0; i < N; i++) {
    // Interleaved, each from a fresh address so the throttle never answers instead of the password check.
    const pair = [
      async () => known.push((await formSignIn(ADMIN_EMAIL, `wrong-${i}`, nextIp())).ms),
      async () => unknown.push((await formSignIn(`ghost-${i}-${rand()}@example.com`, `wrong-${i}`, nextIp())).ms),
    ];
    if (i % 2) pair.reverse();
    for (const f of pair) await f();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const mk = median(known);
  const mu = median(unknown);
  const ratio = Math.max(mk, mu) / Math.min(mk, mu);
  recordFigure({ area: AREA, name: 'timing: median wrong-password time, known e-mail', value: `${mk.toFixed(1)} ms`, note: `${N} samples` });
  recordFigure({ area: AREA, name: 'timing: median wrong-password time, unknown e-mail', value: `${mu.toFixed(1)} ms`, note: `${N} samples` });
  recordFigure({ area: AREA, name: 'timing: ratio of the medians', value: Number(ratio.toFixed(2)), note: 'allowed ≤ 1.7' });
  assert.ok(ratio <= 1.7, `known ${mk.toFixed(1)} ms vs unknown ${mu.toFixed(1)} ms (×${ratio.toFixed(2)}): the e-mail can be told apart`);
});

// ── 3. CSRF ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** Everything a write could change, as one fingerprint (sessions by id only: last_seen_at moves on reads). */
async function dbFingerprint(): Promise<string> {
  const parts: string[] = [];
  for (const table of ['celebrities', 'channels', 'videos', 'candidates', 'candidate_events', 'api_tokens', 'users', 'settings', 'audit_events']) {
    const r = await pool.query(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${table} t`);
    parts.push(`${table}:${r.rows[0].h}`);
  }
  parts.push(`sessions:${(await pool.query(`SELECT md5(coalesce(string_agg(id, '|' ORDER BY id), '')) AS h FROM sessions`)).rows[0].h}`);
  return parts.join(' ');
}

test('CSRF: cookie-authenticated writes from another origin are refused (403, error shape, nothing changed); same origin passes', { timeout: 120_000 }, async () => {
  const session = await newSession();
  const port = server.port;
  const origins = [
    ['Origin: null', 'null'],
    ['other scheme (https)', `https://127.0.0.1:${port}`],
    ['other port', `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}`],
    ['other host (localhost)', `http://localhost:${port}`],
    ['other host (evil.example)', 'http://evil.example'],
    ['default port', 'http://127.0.0.1'],
    ['host as prefix', `http://127.0.0.1:${port}.evil.example`],
  ] as const;
  const writes = tree.filter((e) => e.kind === 'route' && !isPublic(e.template)).flatMap((e) => e.methods.filter((m) => WRITE_METHODS.has(m)).map((m) => ({ e, m })));
  assert.ok(writes.length >= 10, `only ${writes.length} write routes found`);
  const before = await dbFingerprint();
  let tried = 0;
  const failures: string[] = [];
  for (const { e, m } of writes) {
    const url = urlFor(e, { id: '999999999', path: 'ctl/frame.jpg' });
    for (const [label, origin] of origins) {
      tried++;
      const r = await request(m, url, { ...withCookie(session), origin, 'content-type': 'application/json' }, '{}');
      if (r.status !== 403) failures.push(`${m} ${url} [${label}] → ${r.status}: ${r.text.slice(0, 160)}`);
      else if (shapeProblem(r.text)) failures.push(`${m} ${url} [${label}] → 403 not in the error shape: ${shapeProblem(r.text)}`);
    }
  }
  // A real write (a celebrity) cross-site, with a valid body: refused and not stored.
  for (const [label, origin] of origins) {
    tried++;
    const r = await request('POST', '/api/v1/celebrities', { ...withCookie(session), origin, 'content-type': 'application/json' }, json({ name: `csrf ${label}`, aliases: [] }));
    if (r.status !== 403) failures.push(`POST /api/v1/celebrities [${label}] → ${r.status}`);
  }
  const afterRefused = await dbFingerprint();
  none(failures, 'cross-origin writes that were not refused');
  assert.equal(afterRefused, before, 'a refused cross-origin request changed the database');
  assert.equal(await sessionRows(session), 1, 'a cross-origin POST /logout ended the session');

  // Same origin passes the check: a query with NUL fails the next check (400 bad_request) before any handler runs.
  let allowed = 0;
  for (const { e, m } of writes) {
    if (!isApi(e.template)) continue;
    const url = urlFor(e, { id: '999999999', path: 'ctl/frame.jpg' }) + '?probe=%00';
    const r = await request(m, url, { ...withCookie(session), origin: server.url, 'content-type': 'application/json' }, '{}');
    if (r.status === 403 || r.status === 401) failures.push(`same origin ${m} ${url} → ${r.status} ${r.text.slice(0, 160)}`);
    else allowed++;
  }
  const created = await request('POST', '/api/v1/celebrities', { ...withCookie(session), origin: server.url, 'content-type': 'application/json' }, json({ name: '같은 출처 셀럽', aliases: [] }));
  assert.equal(created.status, 201, `same-origin create: ${created.status} ${created.text.slice(0, 200)}`);
  none(failures, 'same-origin writes that were refused');
  // Sign-out from the same origin works; from another it did not (above).
  const out = await request('POST', '/logout', { ...withCookie(session), origin: server.url });
  assert.ok(redirectsToLogin(out), `same-origin sign-out → ${out.status}`);
  assert.equal(await sessionRows(session), 0);

  // The login action (a server action) refuses a cross-origin post: no session cookie comes back.
  let loginRefused = 0;
  for (const [label, origin] of origins.slice(0, 5)) {
    const r = await formSignIn(ADMIN_EMAIL, SECRET.ADMIN_PASSWORD, nextIp(), { origin });
    if (r.token) failures.push(`login action from ${label} signed in (${r.status})`);
    else loginRefused++;
  }
  none(failures, 'the login action accepted a cross-origin post');
  recordFigure({ area: AREA, name: 'CSRF: cross-origin writes tried', value: tried, note: `${writes.length} write route×method × ${origins.length} origins (+ a valid celebrity body); all 403, database unchanged` });
  recordFigure({ area: AREA, name: 'CSRF: same-origin writes allowed', value: allowed + 1, note: 'past the origin check (400 from the next check, or 201)' });
  recordFigure({ area: AREA, name: 'CSRF: cross-origin login posts refused', value: loginRefused });
});

// ── 4. SSRF ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** Names in /etc/hosts that point at loopback or private addresses (`localhost`, `vm` …). */
function hostsFileNames(): string[] {
  const names = new Set<string>();
  try {
    for (const line of fs.readFileSync('/etc/hosts', 'utf8').split('\n')) {
      const [addr, ...rest] = line.replace(/#.*/, '').trim().split(/\s+/);
      if (!addr || !rest.length) continue;
      if (/^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|::1$|fe80:|ff0)/i.test(addr)) for (const n of rest) if (/^[a-z0-9.-]+$/i.test(n)) names.add(n);
    }
  } catch {
    /* no hosts file */
  }
  return [...names].filter((n) => !/^ip6-/.test(n)).slice(0, 8);
}

function ssrfTargets(p: number): [string, string][] {
  const t: [string, string][] = [
    ['loopback 127.0.0.1', `http://127.0.0.1:${p}/v.mp4`],
    ['loopback over https', `https://127.0.0.1:${p}/v.mp4`],
    ['loopback 127.1', `http://127.1:${p}/v.mp4`],
    ['loopback 127.0.1', `http://127.0.1:${p}/v.mp4`],
    ['loopback hex 0x7f000001', `http://0x7f000001:${p}/v.mp4`],
    ['loopback dotted hex', `http://0x7f.0x0.0x0.0x1:${p}/v.mp4`],
    ['loopback octal 0177.0.0.1', `http://0177.0.0.1:${p}/v.mp4`],
    ['loopback decimal 2130706433', `http://2130706433:${p}/v.mp4`],
    ['loopback 127.255.255.254', `http://127.255.255.254:${p}/v.mp4`],
    ['loopback [::1]', `http://[::1]:${p}/v.mp4`],
    ['loopback [0:0:0:0:0:0:0:1]', `http://[0:0:0:0:0:0:0:1]:${p}/v.mp4`],
    ['unspecified 0.0.0.0', `http://0.0.0.0:${p}/v.mp4`],
    ['unspecified 0', `http://0:${p}/v.mp4`],
    ['unspecified [::]', `http://[::]:${p}/v.mp4`],
    ['private 10.0.0.1', 'http://10.0.0.1/v.mp4'],
    ['private 10.255.255.254', 'http://10.255.255.254/v.mp4'],
    ['private 172.16.0.1', 'http://172.16.0.1/v.mp4'],
    ['private 172.31.255.254', 'http://172.31.255.254/v.mp4'],
    ['private 192.168.0.1', 'http://192.168.0.1/v.mp4'],
    ['private 192.168.255.254:8080', 'http://192.168.255.254:8080/v.mp4'],
    ['CGNAT 100.64.0.1', 'http://100.64.0.1/v.mp4'],
    ['link-local metadata 169.254.169.254', 'http://169.254.169.254/latest/meta-data/'],
    ['metadata as decimal 2852039166', 'http://2852039166/latest/meta-data/'],
    ['metadata as hex 0xa9fea9fe', 'http://0xa9fea9fe/latest/meta-data/'],
    ['IPv6 link-local [fe80::1]', 'http://[fe80::1]/v.mp4'],
    ['IPv6 unique local [fd00:ec2::254]', 'http://[fd00:ec2::254]/latest/meta-data/'],
    ['IPv4-mapped [::ffff:127.0.0.1]', `http://[::ffff:127.0.0.1]:${p}/v.mp4`],
    ['IPv4-mapped hex [::ffff:7f00:1]', `http://[::ffff:7f00:1]:${p}/v.mp4`],
    ['IPv4-mapped long [0:0:0:0:0:ffff:7f00:1]', `http://[0:0:0:0:0:ffff:7f00:1]:${p}/v.mp4`],
    ['IPv4-mapped metadata [::ffff:a9fe:a9fe]', 'http://[::ffff:a9fe:a9fe]/latest/meta-data/'],
    ['IPv4-mapped private [::ffff:10.0.0.1]', 'http://[::ffff:10.0.0.1]/v.mp4'],
    ['IPv4-compatible [::127.0.0.1]', `http://[::127.0.0.1]:${p}/v.mp4`],
    ['NAT64 [64:ff9b::7f00:1]', `http://[64:ff9b::7f00:1]:${p}/v.mp4`],
    ['6to4 [2002:7f00:1::1]', `http://[2002:7f00:1::1]:${p}/v.mp4`],
    ['name localhost', `http://localhost:${p}/v.mp4`],
    ['name LOCALHOST', `http://LOCALHOST:${p}/v.mp4`],
    ['name localhost.', `http://localhost.:${p}/v.mp4`],
    ['fullwidth digits', `http://１２７.０.０.１:${p}/v.mp4`],
    ['circled digits', `http://①②⑦.⓪.⓪.①:${p}/v.mp4`],
    ['credentials before a loopback host', `http://www.youtube.com@127.0.0.1:${p}/watch?v=dQw4w9WgXcQ`],
    ['YouTube path on loopback', `http://127.0.0.1:${p}/watch?v=dQw4w9WgXcQ`],
    ['YouTube in the fragment', `http://127.0.0.1:${p}/#@www.youtube.com/watch?v=dQw4w9WgXcQ`],
    ['scheme file', 'file:///etc/passwd'],
    ['scheme gopher', `gopher://127.0.0.1:${p}/_GET%20/`],
    ['scheme ftp', `ftp://127.0.0.1:${p}/v.mp4`],
    ['scheme dict', `dict://127.0.0.1:${p}/info`],
    ['scheme data', 'data:video/mp4;base64,AAAAIGZ0eXA='],
    ['scheme javascript', 'javascript:alert(1)'],
  ];
  for (const n of hostsFileNames()) if (!/^localhost$/i.test(n)) t.push([`/etc/hosts name ${n}`, `http://${n}:${p}/v.mp4`]);
  return t;
}

test('SSRF through the API: video URLs and channel inputs aimed at local and private addresses are refused and never fetched', { timeout: 120_000 }, async () => {
  const targets = ssrfTargets(canaryPort);
  const videosBefore = Number((await pool.query('SELECT count(*) FROM videos')).rows[0].count);
  const channelsBefore = Number((await pool.query('SELECT count(*) FROM channels')).rows[0].count);
  const failures: string[] = [];
  let tried = 0;
  let refused = 0;
  for (const [label, url] of targets) {
    for (const [route, body, field] of [
      ['/api/v1/videos', { url }, 'url'],
      ['/api/v1/channels', { input: url, kind: 'media' }, 'input'],
    ] as const) {
      tried++;
      const r = await api('POST', route, body);
      if (r.status !== 400) failures.push(`POST ${route} ${label} (${url}) → ${r.status} ${r.text.slice(0, 200)}`);
      else if (shapeProblem(r.text)) failures.push(`POST ${route} ${label} → 400 ${shapeProblem(r.text)}`);
      else if (r.body?.error?.field !== field) failures.push(`POST ${route} ${label} → 400 names field ${r.body?.error?.field}, expected ${field}`);
      else refused++;
    }
  }
  // The ingest and media workers run: anything that slipped through would be fetched within a few seconds.
  await new Promise((r) => setTimeout(r, 5000));
  const videosAfter = Number((await pool.query('SELECT count(*) FROM videos')).rows[0].count);
  const channelsAfter = Number((await pool.query('SELECT count(*) FROM channels')).rows[0].count);
  recordFigure({ area: AREA, name: 'SSRF (API): hostile URLs tried', value: tried, note: `${targets.length} targets × POST /api/v1/videos and /api/v1/channels; refused ${refused}` });
  none(failures, 'hostile URLs that were not refused');
  assert.equal(videosAfter, videosBefore, 'a hostile URL was stored as a video');
  assert.equal(channelsAfter, channelsBefore, 'a hostile input was stored as a channel');
  none(canaryHits, 'a request reached the canary listener on 127.0.0.1/[::1]');
});

test('SSRF in safeFetch: redirects from a (pretend-public) server to private addresses are refused at the hop', { timeout: 120_000 }, async () => {
  const PUBLIC_IP = '93.184.216.34';
  // The redirector: /r?to=<url>&s=<status> answers that redirect; /ok answers 200.
  const redirector = await listen('127.0.0.1', 0, (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/ok') return void res.end('fine');
    // The Location as UTF-8 bytes on the wire (node:http only writes Latin-1 strings: pass the bytes as such).
    res.writeHead(Number(u.searchParams.get('s') ?? 302), { location: Buffer.from(u.searchParams.get('to') ?? '/', 'utf8').toString('latin1') });
    res.end();
  });
  const rp = (redirector.address() as { port: number }).port;
  const lookups: string[] = [];
  const lookup: LookupAll = async (host) => {
    lookups.push(host);
    if (host === 'media.example') return [{ address: PUBLIC_IP, family: 4 }];
    if (host === 'private-name.example') return [{ address: '10.1.2.3', family: 4 }];
    if (host === 'canary-name.example') return [{ address: '127.0.0.1', family: 4 }];
    if (host === 'mixed.example') return [{ address: PUBLIC_IP, family: 4 }, { address: '127.0.0.1', family: 4 }];
    return defaultLookup(host);
  };
  // media.example is "public" (per the resolver); its connection is made to the local redirector instead of the
  // internet. Every other hop goes through the real transport, pinned to what the guard checked.
  const transport: HopTransport = (req) => (req.url.hostname === 'media.example' ? nodeTransport({ ...req, addresses: [{ address: '127.0.0.1', family: 4 }] }) : nodeTransport(req));
  const hop = (to: string, status = 302) => `http://media.example:${rp}/r?s=${status}&to=${encodeURIComponent(to)}`;
  const opts = { allowPrivate: false, lookup, transport, timeoutMs: 5000 };
  try {
    // Control: a redirect between public hosts is followed.
    const ok = await safeFetch(hop(`http://media.example:${rp}/ok`), {}, opts);
    assert.equal(await ok.text(), 'fine', 'the harness does not follow a public redirect');

    const privates = ssrfTargets(canaryPort)
      .filter(([, u]) => /^https?:/.test(u))
      .map(([label, u]) => [label, u] as [string, string]);
    privates.push(
      ['name resolving to loopback', `http://canary-name.example:${canaryPort}/x`],
      ['name resolving to a private address', `http://private-name.example:${canaryPort}/x`],
      ['name with a public and a loopback address', `http://mixed.example:${canaryPort}/x`],
      ['scheme-relative //127.0.0.1', `//127.0.0.1:${canaryPort}/x`],
      ['backslash /\\127.0.0.1', `/\\127.0.0.1:${canaryPort}/x`],
      ['two hops, then loopback', hop(`http://127.0.0.1:${canaryPort}/x`, 307)],
      ['scheme file', 'file:///etc/passwd'],
    );
    const statuses = [301, 302, 303, 307, 308];
    const failures: string[] = [];
    let refused = 0;
    for (const [i, [label, target]] of privates.entries()) {
      try {
        const res = await safeFetch(hop(target, statuses[i % statuses.length]), {}, opts);
        failures.push(`${label}: followed (${res.status} from ${res.url})`);
        await res.body?.cancel();
      } catch (err) {
        const e = err as { code?: string; message?: string };
        // Refused at the hop: the guard's 400, or (a Location that is not a URL) "redirected to an invalid location".
        if ((e.code === 'bad_request' && /redirect/i.test(e.message ?? '')) || (e.code === 'upstream_failed' && /invalid location/.test(e.message ?? ''))) refused++;
        else failures.push(`${label}: failed otherwise (${e.code}: ${e.message})`);
      }
    }
    recordFigure({ area: AREA, name: 'SSRF (safeFetch): redirects to private targets', value: privates.length, note: `refused at the hop ${refused}; statuses 301/302/303/307/308` });
    none(failures, 'redirects that were not refused at the hop');
    none(canaryHits, 'a redirect reached the canary listener');
  } finally {
    await closeServer(redirector);
  }
});

test('DNS rebinding: the resolver is asked once per hop and the socket goes to the address that was checked', { timeout: 60_000 }, async () => {
  // (a) A resolver that answers a public address first and loopback afterwards: the transport gets the checked one.
  let asked = 0;
  const flipping: LookupAll = async () => (asked++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
  const seen: ResolvedAddress[][] = [];
  const spy: HopTransport = async (req) => {
    seen.push(req.addresses);
    return new Response('spied');
  };
  const res = await safeFetch(`http://rebind.example:${canaryPort}/x`, {}, { allowPrivate: false, lookup: flipping, transport: spy });
  assert.equal(await res.text(), 'spied');
  assert.equal(asked, 1, 'the host was resolved again after the check');
  assert.deepEqual(seen, [[{ address: '93.184.216.34', family: 4 }]], 'the transport was not given the checked address');

  // (b) The real transport end to end: the name `vm`/`localhost` resolves (system resolver) to 127.0.0.1, where the
  // canary listens; the guard's resolver answered 127.0.0.2 (checked, then a second answer would say 127.0.0.1). The
  // request must reach 127.0.0.2. allowPrivate only skips the address classes (tested above), not the pinning.
  const pinnedHits: string[] = [];
  const pinned = await listen('127.0.0.2', canaryPort, (req, r) => {
    pinnedHits.push(`${req.method} ${req.url}`);
    r.end('pinned');
  });
  try {
    const name = hostsFileNames().find((n) => n !== 'localhost') ?? 'localhost';
    let calls = 0;
    const rebinding: LookupAll = async () => (calls++ === 0 ? [{ address: '127.0.0.2', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    const r2 = await safeFetch(`http://${name}:${canaryPort}/pinned`, {}, { allowPrivate: true, lookup: rebinding, timeoutMs: 5000 });
    assert.equal(await r2.text(), 'pinned', 'the connection did not go to the checked address');
    assert.equal(calls, 1);
    assert.deepEqual(pinnedHits, ['GET /pinned']);
    // Without a pinned answer the OS resolver would have said 127.0.0.1 (the canary): the check above is meaningful.
    const os4 = await defaultLookup(name);
    assert.ok(os4.some((a) => a.address === '127.0.0.1' || a.address === '::1'), `${name} does not resolve to loopback here`);
    recordFigure({ area: AREA, name: 'DNS rebinding', value: 'pinned', note: `one lookup per hop; ${name} (system: ${os4.map((a) => a.address).join('/')}) connected to the checked 127.0.0.2` });
  } finally {
    await closeServer(pinned);
  }
  none(canaryHits, 'a rebinding request reached the canary listener');
});

// ── 5. path traversal ────────────────────────────────────────────────────────────────────────────────────────────

test('path traversal on /api/media: never a file outside the media folder', { timeout: 60_000 }, async () => {
  const mediaRoutes = tree.filter((e) => e.kind === 'route' && e.template.startsWith('/api/media/'));
  assert.ok(mediaRoutes.length, 'no /api/media route found');
  const control = await request('GET', '/api/media/ctl/frame.jpg', bearer());
  assert.equal(control.status, 200, 'control: a file inside the media folder is served');
  assert.equal(control.text, 'inside-the-media-folder');

  const abs = path.join(tmpRoot, 'canary.txt');
  const cases: [string, string][] = [
    ['raw ..', '../../canary.txt'],
    ['raw .. after a folder', 'ctl/../../../canary.txt'],
    ['encoded ..%2f', '..%2f..%2fcanary.txt'],
    ['encoded %2e%2e%2f', '%2e%2e%2f%2e%2e%2fcanary.txt'],
    ['encoded dots, raw slash', '%2e%2e/%2e%2e/canary.txt'],
    ['upper-case %2E%2E%2F', '%2E%2E%2F%2E%2E%2Fcanary.txt'],
    ['inside then out', 'ctl%2f..%2f..%2f..%2fcanary.txt'],
    ['data dir file', '..%2fcanary.txt'],
    ['double-encoded', '..%252f..%252fcanary.txt'],
    ['double-encoded dots', '%252e%252e/%252e%252e/canary.txt'],
    ['backslashes', '..%5c..%5ccanary.txt'],
    ['raw backslashes', '..\\..\\canary.txt'],
    ['....//', '....//....//canary.txt'],
    ['absolute, encoded', encodeURIComponent(abs)],
    ['absolute, double slash', `/${abs.replace(/^\//, '')}`],
    ['absolute /etc/passwd', '%2fetc%2fpasswd'],
    ['NUL', 'ctl/frame.jpg%00.png'],
    ['NUL then ..', '..%00/..%00/canary.txt'],
    ['NUL alone', '%00'],
    ['overlong UTF-8 slash', '..%c0%af..%c0%afcanary.txt'],
    ['overlong UTF-8 dots', '%c0%ae%c0%ae/%c0%ae%c0%ae/canary.txt'],
    ['fullwidth dots and slash', '%EF%BC%8E%EF%BC%8E%EF%BC%8F%EF%BC%8E%EF%BC%8E%EF%BC%8Fcanary.txt'],
    ['symlink to a file outside', 'evil-link.txt'],
    ['directory symlink outside', 'evil-dir/canary.txt'],
    ['file: URL', encodeURIComponent(`file://${abs}`)],
    ['home', '~/canary.txt'],
    ['download flag', '..%2f..%2fcanary.txt?download=1'],
  ];
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  let tried = 0;
  for (const [label, p] of cases) {
    for (const method of mediaRoutes[0].methods.filter((m) => m === 'GET' || m === 'HEAD')) {
      for (const auth of [bearer(), withCookie(await sessionForMedia())]) {
        tried++;
        // Redirects (Next normalises '//' and '\\' with a 308) are followed, as a browser would: the verdict is on
        // where the request ends.
        let at = `/api/media/${p}`;
        let r = await request(method, at, auth);
        for (let hops = 0; r.status >= 300 && r.status < 400 && r.headers.location && !redirectsToLogin(r) && hops < 3; hops++) {
          const next = new URL(r.headers.location, server.url);
          at = next.pathname + next.search;
          r = await request(method, at, auth);
        }
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        const what = `${method} /api/media/${p} (${label})${at !== `/api/media/${p}` ? ` → ${at}` : ''}`;
        const isJson = /json/.test(String(r.headers['content-type'] ?? ''));
        if (r.text.includes(CANARY) || /root:.*:0:0:/.test(r.text)) failures.push(`${what} → ${r.status} served a file outside the media folder`);
        else if (r.status >= 200 && r.status < 300) failures.push(`${what} → ${r.status}`);
        else if (r.status >= 500) failures.push(`${what} → ${r.status} ${r.text.slice(0, 160)}`);
        else if (![400, 403, 404].includes(r.status) && !redirectsToLogin(r)) failures.push(`${what} → ${r.status} (expected 400/403/404)`);
        else if (method === 'GET' && isJson && shapeProblem(r.text)) failures.push(`${what} → ${r.status} ${shapeProblem(r.text)}`);
        else if (method === 'GET' && at.startsWith('/api/') && r.status !== 404 && !isJson && !redirectsToLogin(r)) failures.push(`${what} → ${r.status} not in the error shape`);
      }
    }
  }
  recordFigure({ area: AREA, name: 'path traversal: requests tried', value: tried, note: `${cases.length} paths × GET/HEAD × token/session; statuses ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}` });
  recordFigure({ area: AREA, name: 'path traversal: canary content served', value: failures.filter((f) => f.includes('outside')).length });
  none(failures, 'failures');
});

let mediaSession = '';
async function sessionForMedia() {
  mediaSession ||= await newSession();
  return mediaSession;
}

// ── 6. XSS ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** The payloads, each tagged with a marker naming the field it was written to. */
const PAYLOADS = [
  (m: string) => `<script>__xss.push('${m}');alert('${m}')</script>${m}`,
  (m: string) => `<img src=x onerror="__xss.push('${m}');alert('${m}')">${m}`,
  (m: string) => `javascript:__xss.push('${m}');alert('${m}')//${m}`,
  (m: string) => `"><svg onload="__xss.push('${m}');alert('${m}')">${m}`,
  (m: string) => `'><iframe srcdoc="<script>parent.__xss.push('${m}')</script>">${m}`,
];
/** Written payload strings by field (for the "shown as text" check). */
const written = new Map<string, string[]>();
const wrote = (field: string, value: string) => written.set(field, [...(written.get(field) ?? []), value]);

type Scan = { url: string; flag: string[]; injected: string[]; jsLinks: string[]; strayScripts: string[]; text: string };

/** What a page shows and whether anything from the payloads became markup or ran. */
async function scanPage(page: Page, url: string): Promise<Scan> {
  const r = await page.evaluate(() => {
    const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
    const parts: string[] = [];
    const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!skip.has(n.parentElement?.tagName ?? '')) parts.push(n.nodeValue ?? '');
    for (const el of document.querySelectorAll('input, textarea')) parts.push((el as HTMLInputElement).value);
    for (const el of document.querySelectorAll('[title], [aria-label], [alt]')) parts.push(el.getAttribute('title') ?? '', el.getAttribute('aria-label') ?? '', el.getAttribute('alt') ?? '');
    const handlers = ['onerror', 'onload', 'onclick', 'onmouseover', 'onfocus', 'onanimationstart', 'srcdoc'];
    const injected = [...document.querySelectorAll(handlers.map((h) => `[${h}]`).join(',') + ', img[src="x"], iframe[srcdoc]')].map((e) => e.outerHTML.slice(0, 200));
    const jsLinks = [...document.querySelectorAll('[href], [src], [action], [formaction], [xlink\\:href]')]
      .map((e) => ['href', 'src', 'action', 'formaction', 'xlink:href'].map((a) => e.getAttribute(a) ?? '').find((v) => /^\s*javascript:/i.test(v)))
      .filter((v): v is string => !!v && !/React has blocked/i.test(v));
    const strayScripts = [...document.scripts].filter((s) => !s.nonce && /__xss/.test(s.textContent ?? '') && !/^\s*\(?self\.__next_f/.test(s.textContent ?? '')).map((s) => (s.textContent ?? '').slice(0, 200));
    return { flag: [...((window as unknown as { __xss?: string[] }).__xss ?? [])], injected, jsLinks, strayScripts, text: parts.join('\n') };
  });
  return { url, ...r };
}

async function xssPage(ctx: BrowserContext, dialogs: string[]): Promise<Page> {
  const page = await ctx.newPage();
  page.on('dialog', (d) => {
    dialogs.push(`${page.url()}: ${d.type()} ${d.message()}`);
    void d.dismiss().catch(() => {});
  });
  return page;
}

test('XSS: payloads in every writable text field are shown as text in the console and never run', { timeout: 240_000 }, async () => {
  const b = await getBrowser();

  // The detector first: on a page that does inject the payloads it must see the dialog, the flag and the markup.
  {
    const ctx = await b.newContext();
    const dialogs: string[] = [];
    const page = await xssPage(ctx, dialogs);
    await page.setContent(`<body><script>window.__xss = []</script><div>${PAYLOADS[1]('ctl1')}${PAYLOADS[3]('ctl3')}</div><a href="javascript:void 0">x</a></body>`);
    await page.waitForTimeout(300);
    const s = await scanPage(page, 'control');
    assert.ok(s.flag.includes('ctl1') && s.flag.includes('ctl3'), `the detector missed executed payloads: ${s.flag}`);
    assert.ok(dialogs.length >= 2 && s.injected.length >= 2 && s.jsLinks.length === 1, 'the detector missed dialogs, injected markup or a javascript: link');
    await ctx.close();
  }

  const refused: string[] = [];
  const must = async (what: string, r: Promise<{ status: number; body: any; text: string }>) => {
    const a = await r;
    assert.ok(a.status >= 200 && a.status < 300, `${what}: ${a.status} ${a.text.slice(0, 300)}`);
    return a.body;
  };
  // Celebrities (name and aliases), 5 of them, one payload each.
  const celebIds: string[] = [];
  for (const [i, p] of PAYLOADS.entries()) {
    const name = p(`cel${i}`);
    const alias = p(`ali${i}`);
    celebIds.push((await must('celebrity', api('POST', '/api/v1/celebrities', { name, aliases: [alias] }))).id);
    wrote('celebrity name', name);
    wrote('celebrity alias', alias);
  }
  // Channels: their titles and descriptions come from YouTube (the fake).
  for (const [i, p] of PAYLOADS.entries()) {
    const id = `UC${`xsschannel${i}`.padEnd(22, 'x')}`;
    youtube.addChannel({ id, handle: `@xsschan${i}`, title: p(`chn${i}`), description: p(`chd${i}`), customUrl: `@xsschan${i}` });
    await must('channel', api('POST', '/api/v1/channels', i % 2 ? { input: `@xsschan${i}`, kind: 'media' } : { input: `@xsschan${i}`, kind: 'celebrity', celebrityId: celebIds[i] }));
    wrote('channel title', p(`chn${i}`));
  }
  // An upload: title and description carry every payload; the file name one more.
  {
    const title = PAYLOADS.map((p, i) => p(`vid${i}`)).join(' ');
    const f = new FormData();
    f.append('file', new Blob([new Uint8Array(MP4)], { type: 'video/mp4' }), `"><svg onload=alert('fil')>.mp4`);
    f.append('captions', new Blob([VTT], { type: 'text/vtt' }), 'ko.vtt');
    f.append('title', title);
    f.append('description', PAYLOADS.map((p, i) => p(`vds${i}`)).join('\n'));
    const res = await fetch(`${server.url}/api/v1/videos/upload`, { method: 'POST', headers: bearer(), body: f });
    const text = await res.text();
    assert.ok(res.status === 202 || res.status === 200, `upload: ${res.status} ${text}`);
    realIds.videos = String((JSON.parse(text) as { id: string }).id);
    wrote('video title', title);
  }
  // Candidate edit fields, history notes and a transition note: five candidates, one payload each.
  const cands = (await pool.query(`SELECT id FROM candidates ORDER BY id LIMIT 6`)).rows.map((r) => String(r.id));
  assert.ok(cands.length >= 6, 'the demo seed made too few candidates');
  for (const [i, p] of PAYLOADS.entries()) {
    const id = cands[i];
    let version = ((await must('candidate', api('GET', `/api/v1/candidates/${id}`))) as { version: number }).version;
    const all = (m: string) => PAYLOADS.map((q, k) => q(`${m}${i}${k}`));
    const fields: Record<string, string | string[]> = {
      product_name_manual: p(`pnm${i}`),
      category_path: p(`cat${i}`),
      hook_sentence: p(`hok${i}`),
      summary_for_caption: p(`sum${i}`),
      features: all('fea'),
      target_audience: all('aud'),
      recommended_titles: all('tit'),
      recommended_hashtags: all('tag'),
    };
    // One field per edit, so a field whose own rules refuse a payload does not keep the others out.
    for (const [field, value] of Object.entries(fields)) {
      const edit = { version, [field]: value, ...(field === 'hook_sentence' ? { note: p(`not${i}`) } : {}) };
      const r = await api('PATCH', `/api/v1/candidates/${id}`, edit);
      assert.ok(r.status < 500, `candidate ${id} ${field}: ${r.status} ${r.text.slice(0, 300)}`);
      if (r.status >= 300) {
        refused.push(`candidate ${field} (payload ${i}) → ${r.status} ${r.body?.error?.code}`);
        continue;
      }
      version = r.body.version;
      for (const v of [value].flat()) wrote(`candidate ${field}`, v);
      if (field === 'hook_sentence') wrote('candidate edit note', p(`not${i}`));
    }
  }
  // Operators and tokens (names), one per payload.
  for (const [i, p] of PAYLOADS.entries()) {
    const op = await must('operator', api('POST', '/api/v1/operators', { email: `xss${i}-${rand()}@example.com`, name: p(`opr${i}`), role: 'operator' }));
    if (op.password) secretsToScan.set(`generated password ${i}`, op.password);
    wrote('operator name', p(`opr${i}`));
    const tok = await must('token', api('POST', '/api/v1/tokens', { name: p(`tok${i}`), scope: i % 2 ? 'read' : 'review' }));
    secretsToScan.set(`created token ${i}`, tok.token);
    wrote('token name', p(`tok${i}`));
    // Use the created token, and a near miss of it, so a log line about token use has a chance to show it.
    assert.equal((await request('GET', '/api/v1/videos', { authorization: `Bearer ${tok.token}` })).status, 200);
    assert.equal((await request('GET', '/api/v1/videos', { authorization: `Bearer ${tok.token}x` })).status, 401);
  }
  // Settings: the only free-text settings are the cron schedules (five whitespace-separated fields).
  {
    const cron = (m: string) => `<svg/onload=__xss.push('${m}')> * * * *`;
    const r = await api('PATCH', '/api/v1/settings/schedules', { feedPollCron: cron('cr1'), dailySummaryCron: `<img/src=x/onerror=__xss.push('cr2')> * * * *`, backupCron: '0 4 * * *', mediaCleanupCron: '30 4 * * *' });
    assert.ok(r.status < 500, `settings: ${r.status} ${r.text.slice(0, 300)}`);
    if (r.status < 300) wrote('settings cron', cron('cr1'));
    else refused.push(`settings schedules → ${r.status} ${r.body?.error?.code}`);
  }
  // A Coupang product name and image (external text) through the Coupang fake; the first search fails (401), for
  // the secret scan's sake.
  {
    const id = cands[5];
    const name = '라운드랩 독도 토너';
    const cur = (await must('candidate', api('GET', `/api/v1/candidates/${id}`))) as { version: number };
    await must('candidate name', api('PATCH', `/api/v1/candidates/${id}`, { version: cur.version, product_name_manual: name }));
    coupang.setProducts(normalizeKeyword(name), [
      { productName: `${name} ${PAYLOADS[1]('cpn')}`, productImage: `javascript:__xss.push('cpi')`, productUrl: 'https://www.coupang.com/vp/products/123456', productId: 123456, productPrice: 15000 },
    ]);
    coupang.failNext(401);
    const failing = await api('POST', `/api/v1/candidates/${id}/monetize`);
    assert.ok(failing.status !== 200 || failing.body?.status !== 'matched', 'the failing Coupang search matched');
    const matched = await api('POST', `/api/v1/candidates/${id}/monetize`);
    if (matched.body?.status === 'matched') wrote('coupang product name', `${name} ${PAYLOADS[1]('cpn')}`);
    else refused.push(`coupang search → ${matched.status} ${matched.text.slice(0, 120)}`);
  }

  // The console, signed in, in Chromium.
  const ctx = await b.newContext({ extraHTTPHeaders: { 'x-forwarded-for': nextIp() }, locale: 'ko-KR' });
  await ctx.addInitScript(() => {
    (window as unknown as { __xss: string[] }).__xss = [];
  });
  const dialogs: string[] = [];
  const scans: Scan[] = [];
  try {
    await browserSignIn(ctx);
    const page = await xssPage(ctx, dialogs);
    const visit = async (url: string) => {
      const res = await page.goto(`${server.url}${url}`, { waitUntil: 'load' });
      await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
      assert.ok(res && res.status() < 500, `${url} → ${res?.status()}`);
      scans.push(await scanPage(page, url));
    };
    const pageUrls = tree.filter((e) => e.kind === 'page' && !isPublic(e.template) && !e.segments.some((s) => s.kind === 'param')).map((e) => urlFor(e));
    for (const u of pageUrls) await visit(u);
    // Every tab of the review queue, and each edited candidate.
    await page.goto(`${server.url}/`);
    const tabs = await page.locator('a[data-tab]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? '').filter(Boolean));
    for (const t of [...new Set(tabs)]) await visit(t);
    for (const id of cands) await visit(`/candidates/${id}`);
    for (const e of tree.filter((x) => x.kind === 'page' && x.segments.some((s) => s.kind === 'param') && !x.template.startsWith('/candidates/'))) await visit(urlFor(e, realParams(e.template)));
  } finally {
    await ctx.close();
  }

  const problems: string[] = [];
  for (const s of scans) {
    if (s.flag.length) problems.push(`${s.url}: payload code ran (${s.flag.join(', ')})`);
    if (s.injected.length) problems.push(`${s.url}: injected markup ${s.injected.slice(0, 3).join(' | ')}`);
    if (s.jsLinks.length) problems.push(`${s.url}: javascript: URL in an attribute ${s.jsLinks.slice(0, 3).join(' | ')}`);
    if (s.strayScripts.length) problems.push(`${s.url}: a script element without the page's nonce carries a payload`);
  }
  problems.push(...dialogs.map((d) => `dialog: ${d}`));
  // Shown as text: which written values appear, verbatim, as text (or a form value) on some page.
  const allText = scans.map((s) => s.text).join('\n');
  const shown = new Map<string, number>();
  let values = 0;
  let shownValues = 0;
  for (const [field, vals] of written) {
    for (const v of vals) {
      values++;
      if (allText.includes(v)) {
        shownValues++;
        shown.set(field, (shown.get(field) ?? 0) + 1);
      }
    }
  }
  const mustShow = ['celebrity name', 'channel title', 'video title', 'candidate product_name_manual', 'candidate hook_sentence', 'operator name', 'token name'];
  for (const f of mustShow) if (!shown.get(f)) problems.push(`${f}: no payload was shown as text on any page`);
  recordFigure({ area: AREA, name: 'XSS: payload values written', value: values, note: `${written.size} fields × ${PAYLOADS.length} payloads (<script>, <img onerror>, javascript:, "><svg onload>, <iframe srcdoc>)${refused.length ? `; refused by the API: ${refused.join('; ')}` : ''}` });
  recordFigure({ area: AREA, name: 'XSS: pages opened in Chromium', value: scans.length, note: scans.map((s) => s.url).join(' ') });
  recordFigure({ area: AREA, name: 'XSS: values shown verbatim as text', value: shownValues, note: [...written.keys()].map((f) => `${f} ${shown.get(f) ?? 0}/${written.get(f)!.length}`).join(', ') });
  recordFigure({ area: AREA, name: 'XSS: executions, dialogs, injected elements, javascript: URLs', value: problems.filter((p) => !p.includes('shown as text')).length });
  none(problems, 'problems');
});

// ── 7. secrets ───────────────────────────────────────────────────────────────────────────────────────────────────

test('secrets never reach the server log', { timeout: 120_000 }, async () => {
  // Slack: one digest while the webhook fails (404 no_service: the app disables it), re-enable, one that succeeds.
  const videoIds = (await pool.query(`SELECT DISTINCT video_id FROM candidates ORDER BY video_id LIMIT 2`)).rows.map((r) => String(r.video_id));
  const boss = new PgBoss({ connectionString: database.url, schema: 'pgboss', supervise: false, schedule: false, migrate: false });
  boss.on('error', () => {});
  await boss.start();
  try {
    slack.noServiceNext();
    await boss.send('notify.digest', { videoId: videoIds[0] });
    const until = Date.now() + 20_000;
    while (slack.requests.length < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    await api('POST', '/api/v1/ops/slack/reenable');
    await boss.send('notify.digest', { videoId: videoIds[1] ?? videoIds[0] });
    while (slack.requests.length < 2 && Date.now() < until + 10_000) await new Promise((r) => setTimeout(r, 250));
  } finally {
    await boss.stop({ graceful: false, timeout: 2000 }).catch(() => {});
  }
  // Give the upload's pipeline (transcript → windows, which calls Gemini with the key) a moment to get there.
  const geminiUntil = Date.now() + 20_000;
  while (gemini.requests.length === 0 && Date.now() < geminiUntil) await new Promise((r) => setTimeout(r, 500));
  await new Promise((r) => setTimeout(r, 1000));

  const log = server.output();
  const found: string[] = [];
  for (const [name, value] of secretsToScan) {
    const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
    if (name === 'SLACK_WEBHOOK_URL') forms.add(new URL(value).pathname);
    for (const f of forms) if (f.length >= 8 && log.includes(f)) found.push(`${name} (${f.slice(0, 12)}…) at: ${log.slice(Math.max(0, log.indexOf(f) - 160), log.indexOf(f) + 40).replace(/\s+/g, ' ')}`);
  }
  const lines = log.split('\n');
  const level = (n: number) => lines.filter((l) => l.includes(`"level":${n}`)).length;
  recordFigure({ area: AREA, name: 'secrets: log bytes scanned', value: Buffer.byteLength(log), note: `LOG_LEVEL=debug, the whole suite: ${lines.length} lines (debug ${level(20)}, info ${level(30)}, warn ${level(40)}, error ${level(50)})` });
  if (process.env.SECURITY_LOG_DUMP) fs.writeFileSync(process.env.SECURITY_LOG_DUMP, log);
  recordFigure({
    area: AREA,
    name: 'secrets: values looked for',
    value: secretsToScan.size,
    note: `env secrets ${Object.keys(SECRET).length + 1}, plus created tokens, session tokens, generated passwords; used: Slack ${slack.requests.length} calls, Coupang ${coupang.requests.length}, Gemini ${gemini.requests.length}, YouTube ${youtube.requests.length}`,
  });
  recordFigure({ area: AREA, name: 'secrets: found in the log', value: found.length });
  assert.ok(slack.requests.length >= 1 && coupang.requests.length >= 1 && youtube.requests.length >= 1, 'the integrations holding secrets were not exercised');
  none(found, 'secrets in the server log');
});
