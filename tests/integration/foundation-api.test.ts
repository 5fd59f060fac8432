import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';
import { YTDLP_FAKE_PATH } from '../fakes/index';

const TOKEN = 'integration-token-0123456789';
let server: TestServer;
let db: { url: string; drop(): Promise<void> };
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

before(async () => {
  db = await createTestDatabase();
  server = await startServer({
    DATABASE_URL: db.url,
    API_TOKEN: TOKEN,
    ADMIN_EMAIL: 'a@example.com',
    ADMIN_PASSWORD: 'long-enough-pw',
    // YouTube URLs are accepted only where something can analyse them: yt-dlp here (the fake, answering "unavailable")
    YTDLP_PATH: YTDLP_FAKE_PATH,
    FAKE_YTDLP_FAIL: '1',
  });
});
after(async () => {
  await server?.stop();
  await db?.drop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

test('health is public and reports the database, queue, integrations and models', async () => {
  const res = await fetch(`${server.url}/api/health`);
  assert.equal(res.status, 200);
  const h = await res.json();
  assert.equal(h.status, 'ok');
  assert.equal(h.database.ok, true);
  assert.equal(h.database.embedded, false);
  assert.equal(h.queue.ok, true);
  assert.equal(h.integrations.gemini.configured, false);
  assert.equal(h.integrations.coupang.configured, false);
  assert.match(h.version, /^\d+\.\d+\.\d+/);
  assert.ok(Array.isArray(h.models) && h.models.some((m: { name: string }) => m.name.includes('yolox')));
  assert.equal(JSON.stringify(h).includes(TOKEN), false);
});

test('the server declares its cron jobs: feeds, Sheets, hourly alerts, daily summary, backup, media cleanup', async () => {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; cron: string }>('select name, cron from pgboss.schedule order by name');
    assert.deepEqual(
      rows.map((r) => r.name),
      ['db.backup', 'feeds.poll', 'media.cleanup', 'notify.alerts', 'notify.daily-summary', 'sheets.sync'],
    );
    assert.equal(rows.find((r) => r.name === 'notify.alerts')?.cron, '15 * * * *', 'alerts are checked every hour, not once a day');
  } finally {
    await client.end();
  }
});

test('the API refuses callers without a token or session', async () => {
  const res = await post('/api/v1/videos', { url: 'https://youtu.be/dQw4w9WgXcQ' }, { 'content-type': 'application/json' });
  assert.equal(res.status, 401);
  assert.equal((await res.json()).error.code, 'unauthorized');
  const wrong = await fetch(`${server.url}/api/v1/videos`, { headers: { authorization: 'Bearer not-the-token' } });
  assert.equal(wrong.status, 401);
});

test('a non-http URL is a 400 naming the url field', async () => {
  const res = await post('/api/v1/videos', { url: 'ftp://x' });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.error.field, 'url');
  assert.match(body.error.message, /url/);
  const missing = await post('/api/v1/videos', {});
  assert.equal(missing.status, 400);
  assert.equal((await missing.json()).error.field, 'url');
  const notJson = await fetch(`${server.url}/api/v1/videos`, { method: 'POST', headers: auth, body: 'url=x' });
  assert.equal(notJson.status, 400);
});

test('a YouTube video is created once: share URL 202, watch URL 200 with the same id', async () => {
  const first = await post('/api/v1/videos', { url: 'https://youtu.be/aqz-KE-bpKQ' });
  assert.equal(first.status, 202);
  const { id } = await first.json();
  assert.match(id, /^\d+$/);
  const again = await post('/api/v1/videos', { url: 'https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=42s' });
  assert.equal(again.status, 200);
  assert.equal((await again.json()).id, id);
  const embed = await post('/api/v1/videos', { url: 'https://www.youtube.com/embed/aqz-KE-bpKQ' });
  assert.equal(embed.status, 200);
  assert.equal((await embed.json()).id, id);

  const one = await fetch(`${server.url}/api/v1/videos/${id}`, { headers: auth });
  assert.equal(one.status, 200);
  const video = await one.json();
  assert.equal(video.youtubeId, 'aqz-KE-bpKQ');
  assert.equal(video.sourceUrl, 'https://www.youtube.com/watch?v=aqz-KE-bpKQ');

  // The ingest worker (real pg-boss) moves it on from "queued".
  let stage = video.stage;
  for (let i = 0; i < 60 && stage === 'queued'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    stage = (await (await fetch(`${server.url}/api/v1/videos/${id}`, { headers: auth })).json()).stage;
  }
  assert.notEqual(stage, 'queued');
});

test('a Shorts URL is stored as skipped with its reason and never queued', async () => {
  const res = await post('/api/v1/videos', { url: 'https://www.youtube.com/shorts/abcdefghijk' });
  assert.equal(res.status, 202);
  const { video } = await res.json();
  assert.equal(video.stage, 'skipped');
  assert.match(video.skipReason, /Shorts/);
});

test('a YouTube link without a video id is refused', async () => {
  const res = await post('/api/v1/videos', { url: 'https://www.youtube.com/feed/trending' });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.field, 'url');
});

test('videos are listed newest first with keyset paging; unknown ids are 404', async () => {
  const page1 = await (await fetch(`${server.url}/api/v1/videos?limit=1`, { headers: auth })).json();
  assert.equal(page1.items.length, 1);
  assert.ok(page1.nextCursor);
  const page2 = await (await fetch(`${server.url}/api/v1/videos?limit=1&cursor=${page1.nextCursor}`, { headers: auth })).json();
  assert.equal(page2.items.length, 1);
  assert.ok(Number(page2.items[0].id) < Number(page1.items[0].id));
  const clamped = await fetch(`${server.url}/api/v1/videos?limit=1000`, { headers: auth });
  assert.equal(clamped.status, 200);
  const missing = await fetch(`${server.url}/api/v1/videos/999999`, { headers: auth });
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error.code, 'not_found');
});

test('console pages redirect to /login when signed out', async () => {
  const res = await fetch(`${server.url}/`, { redirect: 'manual' });
  assert.ok([302, 303, 307, 308].includes(res.status), `status ${res.status}`);
  assert.match(res.headers.get('location') ?? '', /\/login$/);
  // A forged cookie gets past the optimistic gate but not the session check.
  const forged = await fetch(`${server.url}/videos`, { redirect: 'manual', headers: { cookie: 'ii_session=forged' } });
  assert.ok([302, 303, 307, 308].includes(forged.status), `status ${forged.status}`);
  assert.match(forged.headers.get('location') ?? '', /\/login/);
});
