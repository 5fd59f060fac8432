import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';
import { YTDLP_FAKE_PATH } from '../fakes/index';

/** GET /api/metrics through the real server: 401 without a token; the documented series exist from the first scrape. */
const TOKEN = 'metrics-token-0123456789abcdef';
let server: TestServer;
let db: { url: string; drop(): Promise<void> };

before(async () => {
  db = await createTestDatabase('metrics');
  server = await startServer({
    DATABASE_URL: db.url,
    API_TOKEN: TOKEN,
    ADMIN_EMAIL: 'm@example.com',
    ADMIN_PASSWORD: 'long-enough-pw',
    // a submitted YouTube URL needs something to analyse it: yt-dlp (the fake, answering "unavailable")
    YTDLP_PATH: YTDLP_FAKE_PATH,
    FAKE_YTDLP_FAIL: '1',
  });
});
after(async () => {
  await server?.stop();
  await db?.drop();
});

/** Prometheus text → map of `name{sorted labels}` → value, plus the TYPE of each family. */
function parse(text: string) {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      types.set(name, type);
      continue;
    }
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `unparseable line: ${line}`);
    const labels = m[2]
      ? [...m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((x) => `${x[1]}=${x[2]}`).sort().join(',')
      : '';
    samples.set(`${m[1]}{${labels}}`, Number(m[3]));
  }
  return { samples, types };
}

test('metrics need a token', async () => {
  assert.equal((await fetch(`${server.url}/api/metrics`)).status, 401);
  const wrong = await fetch(`${server.url}/api/metrics`, { headers: { authorization: 'Bearer nope-nope-nope' } });
  assert.equal(wrong.status, 401);
  assert.equal((await wrong.json()).error.code, 'unauthorized');
});

test('a fresh start exposes every documented series, at zero where nothing happened', async () => {
  const res = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const { samples, types } = parse(await res.text());
  const has = (key: string) => assert.ok(samples.has(key), `missing ${key}`);

  assert.equal(types.get('influence_queue_jobs'), 'gauge');
  for (const state of ['waiting', 'active', 'failed', 'completed']) has(`influence_queue_jobs{queue=video.ingest,state=${state}}`);
  has('influence_queue_jobs{queue=candidate.synthesize,state=failed}');

  assert.equal(types.get('influence_stage_duration_seconds'), 'histogram');
  for (const stage of ['media', 'transcript', 'windows', 'visual']) {
    assert.equal(samples.get(`influence_stage_duration_seconds_count{stage=${stage}}`), 0);
    has(`influence_stage_duration_seconds_bucket{le=+Inf,stage=${stage}}`);
    has(`influence_stage_duration_seconds_bucket{le=60,stage=${stage}}`);
  }

  assert.equal(types.get('influence_external_calls_total'), 'counter');
  for (const outcome of ['ok', 'error', 'rejected']) {
    assert.equal(samples.get(`influence_external_calls_total{operation=generate,outcome=${outcome},provider=gemini}`), 0);
    has(`influence_external_calls_total{operation=search,outcome=${outcome},provider=coupang}`);
  }
  assert.equal(types.get('influence_external_call_duration_seconds'), 'histogram');
  for (const p of ['gemini', 'coupang', 'youtube', 'youtube_feed', 'sheets', 'slack']) {
    has(`influence_external_call_duration_seconds_count{provider=${p}}`);
  }

  for (const stage of ['queued', 'done', 'failed', 'skipped']) assert.equal(samples.get(`influence_videos{stage=${stage}}`), 0);
  for (const status of ['needs_review', 'approved', 'published', 'rejected']) assert.equal(samples.get(`influence_candidates{status=${status}}`), 0);
  assert.equal(samples.get('influence_llm_tokens_total{direction=input}'), 0);
  assert.equal(samples.get('influence_llm_tokens_total{direction=output}'), 0);
  assert.equal(samples.get('influence_llm_cost_usd_total{}'), 0);
  assert.equal(samples.get('influence_llm_paused{}'), 0);
  assert.equal(samples.get('influence_quota_remaining{provider=youtube}'), 10000);
  assert.equal(samples.get('influence_quota_remaining{provider=coupang}'), 10);
  assert.equal(samples.get('influence_circuit_open{provider=gemini}'), 0);
});

test('series follow the database: a submitted video shows up', async () => {
  const post = await fetch(`${server.url}/api/v1/videos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: 'https://youtu.be/aqz-KE-bpKQ' }),
  });
  assert.ok([200, 202].includes(post.status));
  const { samples } = parse(await (await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text());
  const videos = [...samples.entries()].filter(([k]) => k.startsWith('influence_videos{')).reduce((a, [, v]) => a + v, 0);
  assert.equal(videos, 1);
});
