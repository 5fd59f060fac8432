import { sql } from 'drizzle-orm';
import { getConfig } from '@/src/server/config';
import { now } from '@/src/server/clock';
import { getDb } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { budgetStatus, llmPausedHere, type BudgetStatus } from '@/src/server/ops/budgets';
import { listBackups } from '@/src/server/ops/backup';
import { breakerStates, type BreakerState } from '@/src/server/integrations/policy';
import { slackStatus } from '@/src/server/integrations/slack/client';
import { getBoss, jobNames, jobs } from '@/src/server/queue';
import { isJobName } from '@/src/server/queue/jobs';
import { getSetting } from '@/src/server/settings';

/**
 * Everything the 운영 page shows, computed from the database on request (so web and worker processes agree):
 * queues, failed jobs, throughput, stage timings, usage and cost, quotas, budget and integrations.
 */
export type QueueRow = { name: string; waiting: number; active: number; failed: number; completed: number; usesLlm: boolean };
export type FailedJob = { id: string; queue: string; error: string; failedAt: string | null; retryCount: number; data: unknown };
export type IntegrationRow = { name: string; configured: boolean; healthy: boolean; detail: string | null; breaker: BreakerState | null };

const providerOf: Record<string, BreakerState['provider'] | undefined> = {
  gemini: 'gemini',
  coupang: 'coupang',
  youtubeData: 'youtube',
  youtubeFeed: 'youtube_feed',
  sheets: 'sheets',
  slack: 'slack',
};

export async function queueCounts(): Promise<QueueRow[]> {
  const r = await getDb().execute<{ name: string; state: string; n: number }>(
    sql`SELECT name, state::text AS state, count(*)::int AS n FROM pgboss.job GROUP BY 1, 2`,
  );
  const rows = new Map<string, QueueRow>(
    jobNames.map((n) => [n, { name: n, waiting: 0, active: 0, failed: 0, completed: 0, usesLlm: !!(jobs[n].policy as { usesLlm?: boolean }).usesLlm }]),
  );
  for (const x of r.rows) {
    const row = rows.get(x.name);
    if (!row) continue;
    const n = Number(x.n);
    if (x.state === 'created' || x.state === 'retry') row.waiting += n;
    else if (x.state === 'active') row.active += n;
    else if (x.state === 'failed') row.failed += n;
    else if (x.state === 'completed') row.completed += n;
  }
  return [...rows.values()];
}

export async function failedJobs(limit = 50): Promise<FailedJob[]> {
  const r = await getDb().execute<{ id: string; name: string; output: unknown; completed_on: Date | null; retry_count: number; data: unknown }>(
    sql`SELECT id::text, name, output, completed_on, retry_count, data FROM pgboss.job WHERE state = 'failed' ORDER BY completed_on DESC NULLS LAST LIMIT ${limit}`,
  );
  return r.rows.map((j) => {
    const out = j.output as { message?: string; value?: { message?: string } } | string | null;
    const error = typeof out === 'string' ? out : (out?.message ?? out?.value?.message ?? JSON.stringify(out ?? ''));
    return {
      id: j.id,
      queue: j.name,
      error: String(error).slice(0, 500),
      failedAt: j.completed_on ? new Date(j.completed_on).toISOString() : null,
      retryCount: Number(j.retry_count),
      data: j.data,
    };
  });
}

/** Puts a failed job back in its queue (pg-boss retry). */
export async function retryJob(queue: string, id: string): Promise<void> {
  if (!isJobName(queue)) throw new DomainError('bad_request', `unknown queue ${queue}`, 'queue');
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new DomainError('bad_request', 'job id must be a UUID', 'id');
  const job = await getBoss().getJobById(queue, id);
  if (!job) throw new DomainError('not_found', `job ${id} not found in ${queue}`);
  if (job.state !== 'failed') throw new DomainError('conflict', `job ${id} is ${job.state}, not failed`);
  await getBoss().retry(queue, id);
}

export async function throughput(days = 14) {
  const tz = getConfig().TZ;
  const since = new Date(now().getTime() - days * 86400_000).toISOString();
  const r = await getDb().execute<{ day: string; created: number; done: number; failed: number; candidates: number }>(sql`
    WITH d AS (SELECT to_char(generate_series((${since}::timestamptz AT TIME ZONE ${tz})::date, (${now().toISOString()}::timestamptz AT TIME ZONE ${tz})::date, interval '1 day'), 'YYYY-MM-DD') AS day)
    SELECT d.day,
      (SELECT count(*)::int FROM videos v WHERE to_char(v.created_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') = d.day) AS created,
      (SELECT count(*)::int FROM videos v WHERE v.stage = 'done' AND to_char(v.updated_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') = d.day) AS done,
      (SELECT count(*)::int FROM videos v WHERE v.stage = 'failed' AND to_char(v.updated_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') = d.day) AS failed,
      (SELECT count(*)::int FROM candidates c WHERE to_char(c.created_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') = d.day) AS candidates
    FROM d ORDER BY d.day`);
  return r.rows.map((x) => ({ day: x.day, created: Number(x.created), done: Number(x.done), failed: Number(x.failed), candidates: Number(x.candidates) }));
}

export async function stageTimings() {
  const r = await getDb().execute<{ stage: string; n: number; avg: number; p50: number; p90: number }>(sql`
    SELECT t.key AS stage, count(*)::int AS n, avg(t.value::float8)::float8 AS avg,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY t.value::float8)::float8 AS p50,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY t.value::float8)::float8 AS p90
    FROM (SELECT timings FROM videos ORDER BY id DESC LIMIT 1000) v, jsonb_each_text(v.timings) t
    GROUP BY 1`);
  const order = ['queued', 'media', 'transcript', 'windows', 'visual', 'synthesize', 'monetize', 'score'];
  return r.rows
    .map((x) => ({ stage: x.stage, count: Number(x.n), avgSeconds: Number(x.avg), p50Seconds: Number(x.p50), p90Seconds: Number(x.p90) }))
    .sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage));
}

export async function usageByDay(days = 14) {
  const tz = getConfig().TZ;
  const since = new Date(now().getTime() - days * 86400_000).toISOString();
  const r = await getDb().execute<{ day: string; provider: string; calls: number; errors: number; units: number; tokens: number; cost: number }>(sql`
    SELECT to_char(at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day, provider, count(*)::int AS calls,
      count(*) FILTER (WHERE outcome <> 'ok')::int AS errors, sum(units)::int AS units,
      sum(input_tokens + output_tokens)::int AS tokens, sum(cost_usd)::float8 AS cost
    FROM api_usage WHERE at >= ${since}::timestamptz GROUP BY 1, 2 ORDER BY 1 DESC, 2`);
  return r.rows.map((x) => ({ day: x.day, provider: x.provider, calls: Number(x.calls), errors: Number(x.errors), units: Number(x.units), tokens: Number(x.tokens), costUsd: Number(x.cost) }));
}

export async function usageByVideo(limit = 20) {
  const since = new Date(now().getTime() - 30 * 86400_000).toISOString();
  const r = await getDb().execute<{ video_id: number; title: string | null; calls: number; tokens: number; cost: number }>(sql`
    SELECT u.video_id, v.title, count(*)::int AS calls, sum(u.input_tokens + u.output_tokens)::int AS tokens, sum(u.cost_usd)::float8 AS cost
    FROM api_usage u LEFT JOIN videos v ON v.id = u.video_id
    WHERE u.video_id IS NOT NULL AND u.at >= ${since}::timestamptz
    GROUP BY 1, 2 ORDER BY cost DESC, calls DESC LIMIT ${limit}`);
  return r.rows.map((x) => ({ videoId: String(x.video_id), title: x.title ?? '', calls: Number(x.calls), tokens: Number(x.tokens), costUsd: Number(x.cost) }));
}

/** YouTube Data units left today (quota day = Pacific time) and Coupang searches left this hour. */
export async function quotas() {
  const c = getConfig();
  const thresholds = await getSetting('thresholds');
  const at = now().toISOString();
  const r = await getDb().execute<{ yt: number; cp: number }>(sql`
    SELECT
      coalesce((SELECT sum(units) FROM api_usage WHERE provider = 'youtube'
        AND at >= (date_trunc('day', ${at}::timestamptz AT TIME ZONE 'America/Los_Angeles') AT TIME ZONE 'America/Los_Angeles')), 0)::int AS yt,
      (SELECT count(*) FROM api_usage WHERE provider = 'coupang' AND operation LIKE 'search%' AND outcome <> 'rejected'
        AND at >= ${at}::timestamptz - interval '1 hour')::int AS cp`);
  const yt = Number(r.rows[0].yt);
  const cp = Number(r.rows[0].cp);
  return {
    youtube: { configured: !!c.YOUTUBE_API_KEY, usedUnits: yt, limitUnits: c.YOUTUBE_DAILY_QUOTA, remainingUnits: Math.max(0, c.YOUTUBE_DAILY_QUOTA - yt) },
    coupang: { configured: !!(c.COUPANG_ACCESS_KEY && c.COUPANG_SECRET_KEY), usedLastHour: cp, limitPerHour: thresholds.coupangSearchPerHour, remaining: Math.max(0, thresholds.coupangSearchPerHour - cp) },
  };
}

export async function integrations(): Promise<IntegrationRow[]> {
  const c = getConfig();
  const breakers = new Map(breakerStates().map((b) => [b.provider, b]));
  const slack = await slackStatus();
  const list: { name: string; configured: boolean; detail: string | null }[] = [
    { name: 'gemini', configured: !!c.GEMINI_API_KEY, detail: c.GEMINI_API_KEY ? c.GEMINI_MODEL : '규칙 기반 분석 사용 (rule-based analysis in use)' },
    { name: 'coupang', configured: !!(c.COUPANG_ACCESS_KEY && c.COUPANG_SECRET_KEY), detail: null },
    { name: 'youtubeData', configured: !!c.YOUTUBE_API_KEY, detail: null },
    { name: 'youtubeFeed', configured: true, detail: null },
    { name: 'sheets', configured: !!(c.GOOGLE_SERVICE_ACCOUNT_JSON && c.SHEETS_SPREADSHEET_ID), detail: null },
    {
      name: 'slack',
      configured: slack.configured,
      detail: slack.disabled ? `웹훅이 사라져 전송을 멈췄습니다 (HTTP ${slack.disabled.status}, ${slack.disabled.at})` : null,
    },
  ];
  return list.map((i) => {
    const b = providerOf[i.name] ? (breakers.get(providerOf[i.name]!) ?? null) : null;
    const breakerOpen = !!b && b.state !== 'closed';
    const healthy = i.configured && !breakerOpen && !(i.name === 'slack' && slack.disabled);
    return { ...i, healthy, breaker: b };
  });
}

export type OpsOverview = {
  generatedAt: string;
  queues: QueueRow[];
  failedJobs: FailedJob[];
  throughput: Awaited<ReturnType<typeof throughput>>;
  stageTimings: Awaited<ReturnType<typeof stageTimings>>;
  usageByDay: Awaited<ReturnType<typeof usageByDay>>;
  usageByVideo: Awaited<ReturnType<typeof usageByVideo>>;
  quotas: Awaited<ReturnType<typeof quotas>>;
  budget: BudgetStatus & { pausedInThisProcess: boolean };
  integrations: IntegrationRow[];
  backups: { path: string; bytes: number; at: string }[];
};

export async function getOpsOverview(): Promise<OpsOverview> {
  const [q, f, t, s, ud, uv, qu, b, i] = await Promise.all([
    queueCounts(),
    failedJobs(),
    throughput(),
    stageTimings(),
    usageByDay(),
    usageByVideo(),
    quotas(),
    budgetStatus(),
    integrations(),
  ]);
  return {
    generatedAt: now().toISOString(),
    queues: q,
    failedJobs: f,
    throughput: t,
    stageTimings: s,
    usageByDay: ud,
    usageByVideo: uv,
    quotas: qu,
    budget: { ...b, pausedInThisProcess: llmPausedHere() },
    integrations: i,
    backups: listBackups().slice(0, 10),
  };
}
