/**
 * `node --import tsx bench/feeds-poll.ts` → feed collection at scale, through the real app in this process: N active
 * channels (default 1,000; --channels=N) are polled by the real `feeds.poll` → `feeds.poll-channel` jobs on real
 * pg-boss workers, against a local fake of YouTube's feeds answering after --latency=ms (default 20) in the Atom
 * format of contracts/youtube-rss. Every poll finds one new video, so `video.ingest` runs too (its `video.media` job
 * stays queued: that worker is not started here).
 *
 * Printed:
 * - the burst: channels/s and seconds from "poll all" to the last channel done (target: 1,000 channels ≤ 60 s),
 *   the queue wait of `feeds.poll-channel` (created → started, p50/p95), requests per connection at the fake;
 * - the hand-off on an idle pipeline (--probes=N single-channel polls, default 20, spaced at random): console →
 *   `feeds.poll-channel` started, and `feeds.poll-channel` → `video.ingest` (created → started, and the previous job
 *   completed → the next one started).
 *
 * Database: a new database `bench_feeds_<pid>` on the server of BENCH_DATABASE_URL / TEST_DATABASE_URL /
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), dropped at the end (--keep keeps it).
 * Worker settings come from the app's configuration (FEED_POLL_CONCURRENCY …), as in production.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { renderFeedXml, type FeedEntry } from '../tests/fakes/youtube-feed/server';
import { reportFigures } from './lib/report';

process.env.LOG_LEVEL ??= 'warn';
process.env.MODELS_AUTO_FETCH ??= 'off';
const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const CHANNELS = Number(arg('channels', '1000'));
const PROBES = Number(arg('probes', '20'));
const LATENCY_MS = Number(arg('latency', '20'));
const KEEP = process.argv.includes('--keep');

// ---------------------------------------------------------------------------------------------------------------
// The fake feed server: channel i is UC + 22 characters; even channels have a long-form feed, odd ones answer 404
// there (the client then asks the channel feed, as for YouTube channels without the UULF playlist). Each feed holds
// 15 entries: 14 older than FEED_MAX_AGE_DAYS (not stored) and one new video whose id changes with `generation`.

const ytChannelId = (i: number) => `UC${'bench'}${String(i).padStart(17, '0')}`;
const indexOf = (ytId: string) => Number(ytId.slice(7));
let generation = 0;
const fake = { requests: 0, connections: 0, longform404: 0 };
const day = 86_400_000;

function entriesFor(i: number): FeedEntry[] {
  const base = `${i.toString(36).padStart(7, '0')}`;
  const fresh: FeedEntry = { videoId: `${base}g${generation.toString(36).padStart(3, '0')}`, title: `새 영상 ${i}/${generation}`, published: new Date(Date.now() - 3_600_000).toISOString() };
  const old = Array.from({ length: 14 }, (_, k) => ({
    videoId: `${base}o${k.toString(36).padStart(3, '0')}`,
    title: `지난 영상 ${k}`,
    published: new Date(Date.now() - (100 + k) * day).toISOString(),
  }));
  return [fresh, ...old];
}

const server = http.createServer((req, res) => {
  fake.requests++;
  const url = new URL(req.url ?? '/', 'http://fake');
  setTimeout(() => {
    const channelId = url.searchParams.get('channel_id');
    const playlistId = url.searchParams.get('playlist_id');
    if (url.pathname !== '/feeds/videos.xml' || (!channelId && !playlistId)) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not found</html>');
      return;
    }
    const ytId = channelId ?? `UC${playlistId!.slice(4)}`;
    const i = indexOf(ytId);
    if (playlistId && i % 2 === 1) {
      fake.longform404++;
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not found</html>');
      return;
    }
    const xml = renderFeedXml(channelId ? 'channel' : 'playlist', channelId ?? playlistId!, ytId, `벤치 채널 ${i}`, entriesFor(i));
    res.writeHead(200, { 'content-type': 'text/xml; charset=UTF-8' }).end(xml);
  }, LATENCY_MS);
});
server.keepAliveTimeout = 30_000;
server.on('connection', () => fake.connections++);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// ---------------------------------------------------------------------------------------------------------------
// The database and the app.

const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `bench_feeds_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}" ENCODING 'UTF8' TEMPLATE template0`);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-bench-feeds-'));
Object.assign(process.env, {
  DATABASE_URL: dbUrl.toString(),
  DATA_DIR: dataDir,
  YOUTUBE_FEED_BASE_URL: feedUrl,
  WORKER_QUEUES: 'feeds.poll,feeds.poll-channel,video.ingest',
  FEED_MAX_AGE_DAYS: '30',
});
for (const k of ['APP_ROLE', 'YOUTUBE_API_KEY', 'GEMINI_API_KEY', 'SLACK_WEBHOOK_URL']) delete process.env[k];

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const ms = (x: number) => (Number.isNaN(x) ? '–' : `${Math.round(x)} ms`);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

let app: typeof import('@/src/start') | undefined;
try {
  (await import('@/src/server/config')).resetConfig();
  app = await import('@/src/start');
  await app.startApp();
  const { getDb, getPool, schema } = await import('@/src/server/db');
  const { requestPoll } = await import('@/src/server/feeds');
  const { jobs } = await import('@/src/server/queue');
  const pool = getPool();
  const q = async <T>(text: string, values: unknown[] = []) => (await pool.query(text, values)).rows as T[];

  for (let from = 0; from < CHANNELS; from += 1000) {
    const rows = Array.from({ length: Math.min(1000, CHANNELS - from) }, (_, k) => ({ youtubeChannelId: ytChannelId(from + k), kind: 'celebrity' as const, title: `벤치 채널 ${from + k}` }));
    await getDb().insert(schema.channels).values(rows);
  }
  const channelIds = (await q<{ id: string }>(`SELECT id::text FROM channels ORDER BY id`)).map((r) => r.id);

  // --- The burst: "poll all" (the console's button; the cron sends the same feeds.poll job).
  const wall0 = performance.now();
  await requestPoll();
  for (;;) {
    const [{ done, failed }] = await q<{ done: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE state = 'completed')::int AS done, count(*) FILTER (WHERE state = 'failed')::int AS failed
         FROM pgboss.job WHERE name = 'feeds.poll-channel'`,
    );
    if (done + failed >= CHANNELS) break;
    if (performance.now() - wall0 > 3_600_000) throw new Error(`gave up after an hour: ${done} of ${CHANNELS} done`);
    await sleep(100);
  }
  const wallSec = (performance.now() - wall0) / 1000;
  const [burst] = await q<{ seconds: number; failed: number }>(
    `SELECT extract(epoch FROM max(c.completed_on) - p.created_on)::float AS seconds,
            count(*) FILTER (WHERE c.state = 'failed')::int AS failed
       FROM pgboss.job c, pgboss.job p
      WHERE c.name = 'feeds.poll-channel' AND p.name = 'feeds.poll'
      GROUP BY p.created_on`,
  );
  const waits = (
    await q<{ ms: number }>(`SELECT extract(epoch FROM started_on - created_on)::float * 1000 AS ms FROM pgboss.job WHERE name = 'feeds.poll-channel'`)
  ).map((r) => r.ms);
  const burstRequests = fake.requests;
  const burstConnections = fake.connections;
  console.log(`burst: ${CHANNELS} channels in ${burst.seconds.toFixed(1)} s; waiting for its video.ingest jobs`);
  // Let the burst's video.ingest jobs finish before the idle probes (their drain time is printed too).
  for (let t = 0; ; t++) {
    const [{ open }] = await q<{ open: number }>(`SELECT count(*)::int AS open FROM pgboss.job WHERE name = 'video.ingest' AND state IN ('created', 'retry', 'active')`);
    if (!open) break;
    if (t > 18_000) throw new Error(`${open} video.ingest jobs still open after 30 minutes`);
    await sleep(100);
  }
  const [ingest] = await q<{ jobs: number; seconds: number }>(
    `SELECT count(*)::int AS jobs, extract(epoch FROM max(i.completed_on) - (SELECT created_on FROM pgboss.job WHERE name = 'feeds.poll'))::float AS seconds
       FROM pgboss.job i WHERE i.name = 'video.ingest'`,
  );

  // --- Idle hand-off: one channel at a time, each poll finding one new video, at random phases of the workers' polls.
  const probe = { toPoll: [] as number[], created: [] as number[], completedToStart: [] as number[] };
  for (let p = 0; p < PROBES; p++) {
    await sleep(300 + Math.random() * 1200);
    generation++;
    const channelId = channelIds[p % channelIds.length];
    const since = new Date();
    await requestPoll(channelId);
    let row: { poll_wait: number; ingest_wait: number; handoff: number } | undefined;
    for (let t = 0; t < 600 && !row; t++) {
      [row] = await q<{ poll_wait: number; ingest_wait: number; handoff: number }>(
        `SELECT extract(epoch FROM c.started_on - c.created_on)::float * 1000 AS poll_wait,
                extract(epoch FROM i.started_on - i.created_on)::float * 1000 AS ingest_wait,
                extract(epoch FROM i.started_on - c.completed_on)::float * 1000 AS handoff
           FROM pgboss.job c
           JOIN videos v ON v.channel_id = (c.data->>'channelId')::bigint AND v.created_at >= $2
           JOIN pgboss.job i ON i.name = 'video.ingest' AND (i.data->>'videoId')::bigint = v.id
          WHERE c.name = 'feeds.poll-channel' AND c.data->>'channelId' = $1 AND c.created_on >= $2
            AND c.state = 'completed' AND i.state = 'completed'`,
        [channelId, since],
      );
      if (!row) await sleep(20);
    }
    if (!row) throw new Error(`probe ${p}: channel ${channelId} was not polled and ingested within a minute`);
    probe.toPoll.push(row.poll_wait);
    probe.created.push(row.ingest_wait);
    probe.completedToStart.push(row.handoff);
  }

  const { workOptions } = await import('@/src/workers');
  const shown = (['feeds.poll-channel', 'video.ingest'] as const).map((n) => {
    const o = workOptions(n) as { localConcurrency: number; pollingIntervalSeconds: number; batchSize: number };
    return `${n}: ${o.localConcurrency} at once, batch ${o.batchSize}, poll ${o.pollingIntervalSeconds} s, notify ${jobs[n].policy.notify ? 'on' : 'off'}`;
  });
  const cores = os.availableParallelism();
  const perSec = CHANNELS / burst.seconds;
  console.log(`\n## Feed polling: ${CHANNELS} channels, fake feed latency ${LATENCY_MS} ms (${cores} cores, load ${os.loadavg()[0].toFixed(2)})\n`);
  console.log(`${shown.join('; ')}; keep-alive: Node's fetch (undici global pool)\n`);
  console.log('| figure | value | target |');
  console.log('|---|---|---|');
  console.log(`| channels polled | ${CHANNELS - burst.failed} ok, ${burst.failed} failed | all ok |`);
  console.log(`| poll all → last channel done | ${burst.seconds.toFixed(1)} s (wall ${wallSec.toFixed(1)} s) | 1,000 channels ≤ 60 s |`);
  console.log(`| channels/s | ${perSec.toFixed(1)} | ≥ 16.7 |`);
  console.log(`| feeds.poll-channel created → started (burst queue wait) | p50 ${ms(pct(waits, 50))}, p95 ${ms(pct(waits, 95))} | |`);
  console.log(`| the burst's ${ingest.jobs} video.ingest jobs: poll all → last one done | ${ingest.seconds.toFixed(1)} s | |`);
  console.log(`| fake feed: requests / connections | ${burstRequests} / ${burstConnections} (${(burstRequests / Math.max(1, burstConnections)).toFixed(0)} per connection; ${fake.longform404} long-form 404s in all) | keep-alive |`);
  console.log(`| idle: console → feeds.poll-channel started (${PROBES} probes) | p50 ${ms(pct(probe.toPoll, 50))}, p95 ${ms(pct(probe.toPoll, 95))} | smaller |`);
  console.log(`| idle: video.ingest created → started | p50 ${ms(pct(probe.created, 50))}, p95 ${ms(pct(probe.created, 95))} | smaller |`);
  console.log(`| idle: feeds.poll-channel completed → video.ingest started | p50 ${ms(pct(probe.completedToStart, 50))}, p95 ${ms(pct(probe.completedToStart, 95))} | smaller |`);
  reportFigures('feeds', [
    { name: `${CHANNELS} channels polled (poll all → last channel done)`, value: burst.seconds, unit: 's', reference: `${perSec.toFixed(1)} channels/s, fake feed ${LATENCY_MS} ms`, target: { op: '<=', value: (60 * CHANNELS) / 1000 } },
    // ("completed → started" can be negative: the next job starts before pg-boss records the first as completed)
    { name: 'idle hand-off: video.ingest created → started, p95', value: pct(probe.created, 95), unit: 'ms', reference: `before LISTEN/NOTIFY: 950 ms` },
  ]);
} finally {
  await app?.stopApp().catch((e) => console.error('stopApp failed', e));
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await sleep(300); // the pool's connections finish closing before the database is dropped under them
  if (KEEP) console.log(`kept database ${dbName}`);
  else await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
