import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { startSlackFake, type SlackFake } from '../fakes';

/** Daily summary (once per day) and alerts for failures and anomalies (each once per day), to a fake Slack. */
let db: { url: string; drop(): Promise<void> };
let slack: SlackFake;
let dataDir: string;

before(async () => {
  db = await createTestDatabase('alerts');
  slack = await startSlackFake();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-alerts-'));
  Object.assign(process.env, { DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', SLACK_WEBHOOK_URL: slack.webhookUrl, APP_BASE_URL: 'http://console.test' });
  (await import('@/src/server/config')).resetConfig();
  await (await import('@/src/server/db')).startDatabase();
});
after(async () => {
  (await import('@/src/server/clock')).setClock(undefined);
  await (await import('@/src/server/db')).stopDatabase();
  await slack?.close();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("the daily summary reports yesterday's figures once", async () => {
  const { getDb } = await import('@/src/server/db');
  const { setClock } = await import('@/src/server/clock');
  const { sendDailySummary } = await import('@/src/server/notify/summary');
  setClock(new Date('2026-05-02T00:30:00Z')); // 09:30 in Seoul on 05-02 → summary of 05-01
  const d = getDb();
  await d.execute(sql`INSERT INTO videos (source_kind, youtube_id, stage, created_at, updated_at) VALUES
    ('youtube', 'sumaaaaaaaa', 'done', '2026-05-01T03:00:00Z', '2026-05-01T04:00:00Z'),
    ('youtube', 'sumbbbbbbbb', 'failed', '2026-05-01T05:00:00Z', '2026-05-01T06:00:00Z'),
    ('youtube', 'sumcccccccc', 'queued', '2026-04-29T05:00:00Z', '2026-04-29T05:00:00Z')`);
  await d.execute(sql`INSERT INTO candidates (video_id, product_key, clip_start_time, clip_end_time, created_at)
    SELECT id, 'p', 1, 2, '2026-05-01T04:00:00Z' FROM videos WHERE youtube_id = 'sumaaaaaaaa'`);
  await d.execute(sql`INSERT INTO api_usage (at, provider, operation, outcome, cost_usd) VALUES ('2026-05-01T04:00:00Z', 'gemini', 'generate', 'ok', 0.25)`);
  const r = await sendDailySummary();
  assert.equal(r.sent, true);
  assert.equal(r.summary.day, '2026-05-01');
  assert.equal(r.summary.videosCollected, 2);
  assert.equal(r.summary.videosAnalyzed, 1);
  assert.equal(r.summary.videosFailed, 1);
  assert.equal(r.summary.candidatesCreated, 1);
  assert.equal(r.summary.spendUsd, 0.25);
  const text = slack.messages.at(-1).text as string;
  assert.match(text, /일일 요약 2026-05-01/);
  assert.match(text, /비용 \$0\.25/);
  assert.ok(text.includes('<http://console.test/ops|'));
  assert.deepEqual(await sendDailySummary().then((x) => [x.sent, x.reason]), [false, 'already_sent']);
});

test('alerts: a failed video, a channel failing for a day, no new videos, a cost spike — each once per day', async () => {
  const { getDb } = await import('@/src/server/db');
  const { setClock } = await import('@/src/server/clock');
  const { checkAlerts } = await import('@/src/server/notify/summary');
  setClock(undefined);
  const d = getDb();
  await d.execute(sql`DELETE FROM api_usage`);
  await d.execute(sql`UPDATE videos SET created_at = now() - interval '10 days'`);
  await d.execute(sql`INSERT INTO videos (source_kind, youtube_id, title, stage, failed_stage, error_message, created_at, updated_at)
    VALUES ('youtube', 'failaaaaaaa', '실패한 영상', 'failed', 'media', 'yt-dlp could not download', now() - interval '10 days', now())`);
  await d.execute(sql`INSERT INTO channels (youtube_channel_id, title, kind, feed_consecutive_failures, feed_last_error, feed_last_success_at, created_at)
    VALUES ('UCfail', '고장난 채널', 'celebrity', 5, 'HTTP 500', now() - interval '2 days', now() - interval '30 days')`);
  // Cost: last 24 h far above the 7-day average.
  await d.execute(sql`INSERT INTO api_usage (at, provider, operation, outcome, cost_usd)
    SELECT now() - (g || ' days')::interval - interval '2 hours', 'gemini', 'generate', 'ok', 0.1 FROM generate_series(1, 7) g`);
  await d.execute(sql`INSERT INTO api_usage (at, provider, operation, outcome, cost_usd) VALUES (now() - interval '1 hour', 'gemini', 'generate', 'ok', 5)`);

  const before = slack.messages.length;
  const sent = await checkAlerts();
  assert.ok(sent.includes('no_new_videos'), `sent: ${sent.join(', ')}`);
  assert.ok(sent.includes('cost_spike'));
  assert.ok(sent.some((k) => k.startsWith('channel_failing:')));
  assert.ok(sent.some((k) => k.startsWith('video_failed:')));
  const texts = slack.messages.slice(before).map((m) => m.text as string);
  assert.ok(texts.some((t) => t.includes('실패한 영상') && t.includes('media 단계') && t.includes('http://console.test/videos/')));
  assert.ok(texts.some((t) => t.includes('고장난 채널') && t.includes('HTTP 500')));
  assert.deepEqual(await checkAlerts(), [], 'nothing twice within a day');
});
