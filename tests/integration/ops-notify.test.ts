import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { startSlackFake, type SlackFake } from '../fakes';

/**
 * Real Postgres + pg-boss + workers in-process, fake Slack: the digest with console links, 429 Retry-After, a 410
 * that stops sending (visible in health and ops), and the LLM budget pausing and resuming queues as the clock moves.
 */
let db: { url: string; drop(): Promise<void> };
let slack: SlackFake;
let dataDir: string;
let app: typeof import('@/src/start');
const BASE = 'http://console.example.test';

before(async () => {
  db = await createTestDatabase('opsn');
  slack = await startSlackFake();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-opsn-'));
  Object.assign(process.env, { DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', SLACK_WEBHOOK_URL: slack.webhookUrl, APP_BASE_URL: BASE });
  for (const k of ['GEMINI_API_KEY', 'COUPANG_ACCESS_KEY', 'COUPANG_SECRET_KEY', 'APP_ROLE', 'WORKER_QUEUES']) delete process.env[k];
  (await import('@/src/server/config')).resetConfig();
  (await import('@/src/server/ops/budgets')).setBudgetCheckInterval(200);
  (await import('@/src/server/integrations/policy')).configureProvider('slack', { backoffInitialMs: 10, backoffMaxMs: 20 });
  app = await import('@/src/start');
  await app.startApp();
});

after(async () => {
  (await import('@/src/server/clock')).setClock(undefined);
  (await import('@/src/server/ops/budgets')).stopBudgetWatch();
  await app?.stopApp();
  await slack?.close();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await fn();
    if (v) return v as T;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function seedVideo(title: string, products: { name: string; score: number }[]) {
  const { getDb } = await import('@/src/server/db');
  const d = getDb();
  await d.execute(sql`INSERT INTO celebrities (name) VALUES ('아이유') ON CONFLICT DO NOTHING`);
  const v = await d.execute<{ id: number }>(
    sql`INSERT INTO videos (source_kind, youtube_id, title, celebrity_id, stage) VALUES ('youtube', ${title.slice(0, 11).padEnd(11, 'x')}, ${title}, (SELECT id FROM celebrities WHERE name = '아이유'), 'done') RETURNING id`,
  );
  const videoId = Number(v.rows[0].id);
  const ids: number[] = [];
  for (const p of products) ids.push(await addCandidate(videoId, p.name, p.score));
  return { videoId, ids };
}

async function addCandidate(videoId: number, name: string, score: number) {
  const { getDb } = await import('@/src/server/db');
  const r = await getDb().execute<{ id: number }>(
    sql`INSERT INTO candidates (video_id, product_key, product_name_ai, clip_start_time, clip_end_time, score_total, celebrity_name)
        VALUES (${videoId}, ${name}, ${name}, 10, 20, ${score}, '아이유') RETURNING id`,
  );
  return Number(r.rows[0].id);
}

test('notify.digest sends the video, celebrity and each new candidate with a console link, once', async () => {
  const { enqueue } = await import('@/src/server/queue');
  const { sendVideoDigest } = await import('@/src/server/notify/digest');
  const { videoId, ids } = await seedVideo('라운드랩 <선크림> 추천 & 후기', [
    { name: '라운드랩 자작나무 선크림', score: 82 },
    { name: '토리든 세럼', score: 64 },
  ]);
  const before = slack.messages.length;
  await enqueue('notify.digest', { videoId: String(videoId) });
  const msg = await waitFor('digest message', () => slack.messages[before]);
  assert.match(msg.text, /새 후보 2개/);
  assert.match(msg.text, /아이유/);
  for (const id of ids) assert.ok(msg.text.includes(`<${BASE}/candidates/${id}|`), `link to candidate ${id}`);
  assert.ok(msg.text.indexOf('라운드랩 자작나무 선크림') < msg.text.indexOf('토리든 세럼'), 'best score first');
  assert.match(msg.text, /점수 82/);
  assert.ok(msg.text.includes(`<${BASE}/videos/${videoId}|라운드랩 &lt;선크림&gt; 추천 &amp; 후기>`), 'video link, title escaped for mrkdwn');
  assert.equal(msg.blocks[0].type, 'section');

  // The same job again: nothing new to announce. The worker records the announcement after Slack answered, so wait
  // for that record rather than only for the message.
  const { announcedCandidateIds } = await import('@/src/server/notify/log');
  await waitFor('announcement recorded', async () => (await announcedCandidateIds(videoId)).size === ids.length);
  const again = await sendVideoDigest(videoId);
  assert.deepEqual(again, { sent: false, candidates: 0, reason: 'no_new_candidates' });
  assert.equal(slack.messages.length, before + 1);

  // A candidate added later is announced alone.
  const late = await addCandidate(videoId, '아누아 토너', 70);
  const third = await sendVideoDigest(videoId);
  assert.equal(third.sent, true);
  assert.equal(third.candidates, 1);
  assert.ok(slack.messages.at(-1).text.includes(`/candidates/${late}|`));
});

test('a 429 with Retry-After is retried after the wait', async () => {
  const { sendVideoDigest } = await import('@/src/server/notify/digest');
  const { videoId } = await seedVideo('retry-after video', [{ name: '닥터지 크림', score: 75 }]);
  const requestsBefore = slack.requests.length;
  slack.rateLimitNext(1);
  const t0 = Date.now();
  const r = await sendVideoDigest(videoId);
  const waited = Date.now() - t0;
  assert.equal(r.sent, true);
  assert.equal(slack.requests.length, requestsBefore + 2, 'one 429, one success');
  assert.ok(waited >= 990, `waited ${waited} ms for Retry-After: 1`);
  const { getDb } = await import('@/src/server/db');
  const rows = await getDb().execute<{ outcome: string; http_status: number | null }>(
    sql`SELECT outcome, http_status FROM api_usage WHERE provider = 'slack' AND operation = 'digest' ORDER BY id DESC LIMIT 2`,
  );
  assert.deepEqual(rows.rows.map((x) => [x.outcome, x.http_status]), [['ok', null], ['error', 429]]);
});

test('a 410 stops sending; health and the ops overview say so; re-enabling resumes', async () => {
  const { postSlackMessage, reenableSlack } = await import('@/src/server/integrations/slack/client');
  const { getHealth } = await import('@/src/server/ops/health');
  const { getOpsOverview } = await import('@/src/server/ops/dashboard');
  slack.archivedNext();
  const r = await postSlackMessage({ text: 'first' });
  assert.deepEqual(r, { sent: false, reason: 'webhook_gone' });
  const count = slack.requests.length;
  assert.deepEqual(await postSlackMessage({ text: 'second' }), { sent: false, reason: 'disabled' });
  assert.equal(slack.requests.length, count, 'nothing sent once the webhook is gone');

  const health = await getHealth();
  assert.equal(health.integrations.slack.configured, true);
  assert.match(health.integrations.slack.detail ?? '', /410/);
  const ops = await getOpsOverview();
  const s = ops.integrations.find((i) => i.name === 'slack')!;
  assert.equal(s.healthy, false);
  assert.match(s.detail ?? '', /410/);

  await reenableSlack();
  assert.deepEqual(await postSlackMessage({ text: 'third' }), { sent: true });
  assert.equal((await getOpsOverview()).integrations.find((i) => i.name === 'slack')!.healthy, true);
});

test('LLM budget reached → LLM queues pause with a reason and Slack is told; the next day they resume by themselves', async () => {
  const { setClock, now } = await import('@/src/server/clock');
  const { updateSetting } = await import('@/src/server/settings');
  const { budgetStatus, llmPausedHere } = await import('@/src/server/ops/budgets');
  const { getDb } = await import('@/src/server/db');
  const { enqueue, getBoss } = await import('@/src/server/queue');
  // Noon in Seoul: the budget day is unambiguous.
  setClock(new Date('2026-03-10T03:00:00Z'));
  await updateSetting('budgets', { llmDailyUsd: 0.5 }, { userId: null, actor: 'test' });
  assert.equal(llmPausedHere(), false);
  await getDb().execute(
    sql`INSERT INTO api_usage (at, provider, operation, outcome, input_tokens, output_tokens, cost_usd) VALUES (${now().toISOString()}::timestamptz, 'gemini', 'windows', 'ok', 1000000, 100000, 0.55)`,
  );
  const messagesBefore = slack.messages.length;
  await waitFor('LLM queues paused', () => llmPausedHere());
  const status = await budgetStatus();
  assert.equal(status.paused, true);
  assert.equal(status.limit, 'daily');
  assert.match(status.reason ?? '', /일일 LLM 예산 도달.*\$0\.55 \/ 한도 \$0\.50/);
  assert.equal(status.resumesAt, '2026-03-10T15:00:00.000Z', 'midnight in Asia/Seoul');
  assert.ok(status.llmQueues.includes('video.windows'));
  const alert = await waitFor('budget alert', () => slack.messages.slice(messagesBefore).find((m) => /예산 도달/.test(m.text)));
  assert.match(alert.text, /자동으로 다시 시작/);
  const ops = await (await import('@/src/server/ops/dashboard')).getOpsOverview();
  assert.equal(ops.budget.paused, true);

  // A job for an LLM queue waits while paused; collection queues keep being worked.
  const jobId = await enqueue('video.windows', { videoId: '999999' });
  assert.ok(jobId);
  await new Promise((r) => setTimeout(r, 2500));
  const state = async () => (await getBoss().getJobById('video.windows', jobId!))?.state;
  assert.equal(await state(), 'created', 'LLM job not fetched while the budget is spent');

  // The next day in Seoul: resumes without a restart.
  setClock(new Date('2026-03-10T15:00:05Z'));
  await waitFor('LLM queues resumed', () => !llmPausedHere());
  assert.equal((await budgetStatus()).paused, false);
  await waitFor('LLM job picked up', async () => (await state()) !== 'created');
  // One alert per period, however often the watcher runs.
  assert.equal(slack.messages.slice(messagesBefore).filter((m) => /예산 도달/.test(m.text)).length, 1);
});
