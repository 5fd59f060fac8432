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
import { getSetting, getState, setState } from '@/src/server/settings';

/**
 * Everything the 운영 page shows, computed from the database on request (so web and worker processes agree):
 * queues, failed jobs, throughput, stage timings, usage and cost, quotas, budget and integrations.
 */
export type QueueRow = { name: string; waiting: number; active: number; failed: number; completed: number; usesLlm: boolean };
export type FailedJob = { id: string; queue: string; error: string; failedAt: string | null; retryCount: number; data: unknown };
/** Why an integration is shown as 문제 있음 (the page words it): its recent calls, its breaker, or Slack's webhook. */
export type UnhealthyReason = 'last_call_failed' | 'mostly_failing' | 'breaker_open' | 'slack_gone';
/** The provider's calls in the last 24 hours (api_usage, so every process's calls count). */
export type RecentCalls = { calls: number; errors: number; lastAt: string | null; lastOutcome: 'ok' | 'error' | 'rejected' | null; lastErrorAt: string | null };
export type IntegrationRow = {
  name: string;
  configured: boolean;
  healthy: boolean;
  unhealthyReason: UnhealthyReason | null;
  detail: string | null;
  /** Gemini's model when configured. */
  model: string | null;
  /** Slack stopped after its webhook answered 404/410. */
  slackDisabled: { status: number; at: string } | null;
  recent: RecentCalls;
  breaker: BreakerState | null;
};
/** A video whose analysis failed (the job that ran it ended normally, so it is not among the failed jobs). */
export type FailedVideo = {
  id: string;
  title: string;
  youtubeId: string | null;
  sourceUrl: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  failedStage: string | null;
  failedAt: string;
  isDemo: boolean;
};

/** The api_usage provider of each integration row. */
const usageProviderOf: Record<string, string> = {
  gemini: 'gemini',
  coupang: 'coupang',
  youtubeData: 'youtube',
  youtubeFeed: 'youtube_feed',
  sheets: 'sheets',
  slack: 'slack',
};

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

/** The most recently failed videos (newest first) and how many have failed in all. */
export async function failedVideos(limit = 10): Promise<{ total: number; items: FailedVideo[] }> {
  const db = getDb();
  const [rows, total] = await Promise.all([
    db.execute<{ id: number; title: string; youtube_id: string | null; source_url: string | null; error_code: string | null; error_message: string | null; failed_stage: string | null; updated_at: Date; is_demo: boolean }>(sql`
      SELECT id, title, youtube_id, source_url, error_code, error_message, failed_stage, updated_at, is_demo
      FROM videos WHERE stage = 'failed' ORDER BY updated_at DESC, id DESC LIMIT ${limit}`),
    db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM videos WHERE stage = 'failed'`),
  ]);
  return {
    total: Number(total.rows[0]?.n ?? 0),
    items: rows.rows.map((v) => ({
      id: String(v.id),
      title: v.title,
      youtubeId: v.youtube_id,
      sourceUrl: v.source_url,
      errorCode: v.error_code,
      errorMessage: v.error_message,
      failedStage: v.failed_stage,
      failedAt: new Date(v.updated_at).toISOString(),
      isDemo: !!v.is_demo,
    })),
  };
}

/** Videos created, finished and failed, and candidates created, per day in TZ. Demo rows (npm run seed:demo) are not counted. */
export async function throughput(days = 14) {
  const tz = getConfig().TZ;
  const since = new Date(now().getTime() - days * 86400_000).toISOString();
  const r = await getDb().execute<{ day: string; created: number; done: number; failed: number; candidates: number }>(sql`
    WITH d AS (SELECT to_char(generate_series((${since}::timestamptz AT TIME ZONE ${tz})::date, (${now().toISOString()}::timestamptz AT TIME ZONE ${tz})::date, interval '1 day'), 'YYYY-MM-DD') AS day)
    SELECT d.day,
      (SELECT count(*)::int FROM videos v WHERE NOT v.is_demo AND to_char(v.created_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') = d.day) AS created,
      (SELECT count(*)::int FROM videos v WHERE NOT v.is_demo AND v.stage = 'done' AND to_char(v.updated_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') = d.day) AS done,
      (SELECT count(*)::int FROM videos v WHERE NOT v.is_demo AND v.stage = 'failed' AND to_char(v.updated_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') = d.day) AS failed,
      (SELECT count(*)::int FROM candidates c WHERE NOT c.is_demo AND to_char(c.created_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') = d.day) AS candidates
    FROM d ORDER BY d.day`);
  return r.rows.map((x) => ({ day: x.day, created: Number(x.created), done: Number(x.done), failed: Number(x.failed), candidates: Number(x.candidates) }));
}

export async function stageTimings() {
  const r = await getDb().execute<{ stage: string; n: number; avg: number; p50: number; p90: number }>(sql`
    SELECT t.key AS stage, count(*)::int AS n, avg(t.value::float8)::float8 AS avg,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY t.value::float8)::float8 AS p50,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY t.value::float8)::float8 AS p90
    FROM (SELECT timings FROM videos WHERE NOT is_demo ORDER BY id DESC LIMIT 1000) v, jsonb_each_text(v.timings) t
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

/**
 * The operator fixed an integration and said so (e.g. Slack 전송 다시 시작): its earlier failed calls no longer make
 * it 문제 있음.
 */
export async function markIntegrationFixed(provider: string): Promise<void> {
  await setState(`ops.fixedAt.${provider}`, now().toISOString());
}

/** Each provider's calls in the last 24 hours (after it was last marked fixed): count, errors, last outcome, last error. */
export async function recentCalls(): Promise<Map<string, RecentCalls>> {
  const since = new Date(now().getTime() - 86400_000).toISOString();
  const fixed = await Promise.all(
    Object.values(usageProviderOf).map(async (p) => [p, await getState<string>(`ops.fixedAt.${p}`)] as const),
  );
  const notBefore = fixed.filter(([, at]) => typeof at === 'string').map(([p, at]) => sql`AND NOT (provider = ${p} AND at <= ${at}::timestamptz)`);
  const r = await getDb().execute<{ provider: string; calls: number; errors: number; last_at: Date | null; last_outcome: string | null; last_error_at: Date | null }>(sql`
    SELECT provider, count(*)::int AS calls, count(*) FILTER (WHERE outcome = 'error')::int AS errors, max(at) AS last_at,
      (array_agg(outcome ORDER BY at DESC, id DESC))[1] AS last_outcome,
      max(at) FILTER (WHERE outcome = 'error') AS last_error_at
    FROM api_usage WHERE at >= ${since}::timestamptz ${sql.join(notBefore, sql` `)} GROUP BY provider`);
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return new Map(
    r.rows.map((x) => [
      x.provider,
      {
        calls: Number(x.calls),
        errors: Number(x.errors),
        lastAt: iso(x.last_at),
        lastOutcome: (x.last_outcome as RecentCalls['lastOutcome']) ?? null,
        lastErrorAt: iso(x.last_error_at),
      },
    ]),
  );
}

/**
 * Health of a configured integration from what its calls did, not only from this process's breaker: the last call
 * in 24 hours failed, or more than half of at least 4 calls failed → 문제 있음 (e.g. a feed answering 2 errors to
 * 2 calls). A retry that succeeded after a transient error is healthy.
 */
export function unhealthyReason(recent: RecentCalls, breakerOpen: boolean, slackGone: boolean): UnhealthyReason | null {
  if (slackGone) return 'slack_gone';
  if (breakerOpen) return 'breaker_open';
  if (recent.lastOutcome === 'error') return 'last_call_failed';
  if (recent.calls >= 4 && recent.errors * 2 > recent.calls) return 'mostly_failing';
  return null;
}

export async function integrations(): Promise<IntegrationRow[]> {
  const c = getConfig();
  const breakers = new Map(breakerStates().map((b) => [b.provider, b]));
  const [slack, recent] = await Promise.all([slackStatus(), recentCalls()]);
  const none: RecentCalls = { calls: 0, errors: 0, lastAt: null, lastOutcome: null, lastErrorAt: null };
  const list: { name: string; configured: boolean; detail: string | null }[] = [
    { name: 'gemini', configured: !!c.GEMINI_API_KEY, detail: c.GEMINI_API_KEY ? c.GEMINI_MODEL : '키가 없어 규칙 기반 분석을 씁니다' },
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
    const calls = recent.get(usageProviderOf[i.name]) ?? none;
    const reason = i.configured ? unhealthyReason(calls, breakerOpen, i.name === 'slack' && !!slack.disabled) : null;
    return {
      ...i,
      healthy: i.configured && reason === null,
      unhealthyReason: reason,
      model: i.name === 'gemini' && c.GEMINI_API_KEY ? c.GEMINI_MODEL : null,
      slackDisabled: i.name === 'slack' && slack.disabled ? { status: slack.disabled.status, at: slack.disabled.at } : null,
      recent: calls,
      breaker: b,
    };
  });
}

export type OpsOverview = {
  generatedAt: string;
  queues: QueueRow[];
  failedJobs: FailedJob[];
  failedVideos: Awaited<ReturnType<typeof failedVideos>>;
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
  const [q, f, fv, t, s, ud, uv, qu, b, i] = await Promise.all([
    queueCounts(),
    failedJobs(),
    failedVideos(),
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
    failedVideos: fv,
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
