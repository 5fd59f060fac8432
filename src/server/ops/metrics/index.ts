import { sql } from 'drizzle-orm';
import { Registry } from 'prom-client';
import { getDb } from '@/src/server/db';
import { candidateStatuses } from '@/src/server/db/schema/candidates';
import { videoStages } from '@/src/server/db/schema/videos';
import { budgetStatus } from '@/src/server/ops/budgets';
import { providers } from '@/src/server/integrations/errors';
import { breakerStates } from '@/src/server/integrations/policy';
import { quotas, queueCounts } from '@/src/server/ops/dashboard';

/**
 * Prometheus metrics computed from the database on every scrape (so every web/worker process answers the same),
 * exposed through prom-client's registry/formatter. Known label sets are always present, starting at zero.
 */
type Value = { labels?: Record<string, string | number>; value: number; metricName?: string };
type Collected = { name: string; help: string; type: 'gauge' | 'counter' | 'histogram'; values: Value[] };

const STAGE_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const TIMED_STAGES = videoStages.filter((s) => !['done', 'failed', 'skipped'].includes(s));
const KNOWN_OPERATIONS: Record<string, string[]> = {
  gemini: ['generate'],
  coupang: ['search', 'deeplink'],
  youtube: ['videos.list', 'channels.list', 'playlistItems.list', 'search.list'],
  youtube_feed: ['feed'],
  sheets: ['values'],
  slack: ['digest', 'alert', 'summary'],
  media: ['download'],
};
const OUTCOMES = ['ok', 'error', 'rejected'];

/** Builds cumulative histogram samples from per-bucket counts. */
function histogram(name: string, labels: Record<string, string>, buckets: number[], counts: number[], inf: number, sum: number): Value[] {
  const out: Value[] = [];
  let acc = 0;
  buckets.forEach((le, i) => {
    acc += counts[i] ?? 0;
    out.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: acc });
  });
  out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: acc + inf });
  out.push({ metricName: `${name}_sum`, labels, value: sum });
  out.push({ metricName: `${name}_count`, labels, value: acc + inf });
  return out;
}

async function bucketed(valuesSql: ReturnType<typeof sql>, buckets: number[]) {
  // valuesSql yields (key text, v float8); returns per key: counts per bucket (non-cumulative), overflow, sum.
  const cases = buckets.map((le, i) => sql`count(*) FILTER (WHERE v <= ${le}${i > 0 ? sql` AND v > ${buckets[i - 1]}` : sql``})::int AS ${sql.raw(`b${i}`)}`);
  const r = await getDb().execute<Record<string, number | string>>(sql`
    SELECT key, ${sql.join(cases, sql`, `)}, count(*) FILTER (WHERE v > ${buckets.at(-1)!})::int AS inf, coalesce(sum(v), 0)::float8 AS total
    FROM (${valuesSql}) x GROUP BY key`);
  const map = new Map<string, { counts: number[]; inf: number; sum: number }>();
  for (const row of r.rows) {
    map.set(String(row.key), { counts: buckets.map((_, i) => Number(row[`b${i}`])), inf: Number(row.inf), sum: Number(row.total) });
  }
  return map;
}

async function collect(): Promise<Collected[]> {
  const db = getDb();
  const out: Collected[] = [];

  const queues = await queueCounts();
  out.push({
    name: 'influence_queue_jobs',
    help: 'Jobs per queue and state (waiting = created or retry).',
    type: 'gauge',
    values: queues.flatMap((q) =>
      (['waiting', 'active', 'failed', 'completed'] as const).map((state) => ({ labels: { queue: q.name, state }, value: q[state] })),
    ),
  });

  const stages = await bucketed(sql`SELECT t.key AS key, t.value::float8 AS v FROM videos, jsonb_each_text(videos.timings) t`, STAGE_BUCKETS);
  out.push({
    name: 'influence_stage_duration_seconds',
    help: 'Seconds a video spent in each pipeline stage (from videos.timings).',
    type: 'histogram',
    values: TIMED_STAGES.flatMap((stage) => {
      const s = stages.get(stage) ?? { counts: [], inf: 0, sum: 0 };
      return histogram('influence_stage_duration_seconds', { stage }, STAGE_BUCKETS, s.counts, s.inf, s.sum);
    }),
  });

  const calls = await db.execute<{ provider: string; operation: string; outcome: string; n: number }>(
    sql`SELECT provider, operation, outcome, count(*)::int AS n FROM api_usage GROUP BY 1, 2, 3`,
  );
  const callMap = new Map<string, number>();
  const ops = new Map<string, Set<string>>(providers.map((p) => [p, new Set(KNOWN_OPERATIONS[p] ?? [])]));
  for (const c of calls.rows) {
    callMap.set(`${c.provider}|${c.operation}|${c.outcome}`, Number(c.n));
    ops.get(c.provider)?.add(c.operation);
  }
  out.push({
    name: 'influence_external_calls_total',
    help: 'External calls (attempts) by provider, operation and outcome.',
    type: 'counter',
    values: [...ops.entries()].flatMap(([provider, set]) =>
      [...set].flatMap((operation) =>
        OUTCOMES.map((outcome) => ({ labels: { provider, operation, outcome }, value: callMap.get(`${provider}|${operation}|${outcome}`) ?? 0 })),
      ),
    ),
  });

  const latency = await bucketed(
    sql`SELECT provider AS key, latency_ms / 1000.0 AS v FROM api_usage WHERE latency_ms IS NOT NULL`,
    LATENCY_BUCKETS,
  );
  out.push({
    name: 'influence_external_call_duration_seconds',
    help: 'Latency of external call attempts by provider.',
    type: 'histogram',
    values: providers.flatMap((provider) => {
      const s = latency.get(provider) ?? { counts: [], inf: 0, sum: 0 };
      return histogram('influence_external_call_duration_seconds', { provider }, LATENCY_BUCKETS, s.counts, s.inf, s.sum);
    }),
  });

  const videos = await db.execute<{ stage: string; n: number }>(sql`SELECT stage, count(*)::int AS n FROM videos GROUP BY 1`);
  const vm = new Map(videos.rows.map((v) => [v.stage, Number(v.n)]));
  out.push({
    name: 'influence_videos',
    help: 'Videos by pipeline stage.',
    type: 'gauge',
    values: videoStages.map((stage) => ({ labels: { stage }, value: vm.get(stage) ?? 0 })),
  });

  const cands = await db.execute<{ status: string; n: number }>(sql`SELECT current_status AS status, count(*)::int AS n FROM candidates GROUP BY 1`);
  const cm = new Map(cands.rows.map((c) => [c.status, Number(c.n)]));
  out.push({
    name: 'influence_candidates',
    help: 'Candidates by status.',
    type: 'gauge',
    values: candidateStatuses.map((status) => ({ labels: { status }, value: cm.get(status) ?? 0 })),
  });

  const llm = (
    await db.execute<{ i: number; o: number; cost: number }>(
      sql`SELECT coalesce(sum(input_tokens), 0)::float8 AS i, coalesce(sum(output_tokens), 0)::float8 AS o, coalesce(sum(cost_usd), 0)::float8 AS cost FROM api_usage WHERE provider = 'gemini'`,
    )
  ).rows[0];
  out.push({
    name: 'influence_llm_tokens_total',
    help: 'LLM tokens used, by direction.',
    type: 'counter',
    values: [
      { labels: { direction: 'input' }, value: Number(llm.i) },
      { labels: { direction: 'output' }, value: Number(llm.o) },
    ],
  });
  out.push({ name: 'influence_llm_cost_usd_total', help: 'LLM spend in USD (tokens × configured price).', type: 'counter', values: [{ value: Number(llm.cost) }] });

  const budget = await budgetStatus();
  out.push({
    name: 'influence_llm_spend_usd',
    help: 'LLM spend in the current budget period (days and months in TZ).',
    type: 'gauge',
    values: [
      { labels: { period: 'day' }, value: budget.dailySpendUsd },
      { labels: { period: 'month' }, value: budget.monthlySpendUsd },
    ],
  });
  out.push({
    name: 'influence_llm_budget_usd',
    help: 'LLM budget limit per period (-1 = no limit).',
    type: 'gauge',
    values: [
      { labels: { period: 'day' }, value: budget.dailyLimitUsd ?? -1 },
      { labels: { period: 'month' }, value: budget.monthlyLimitUsd ?? -1 },
    ],
  });
  out.push({ name: 'influence_llm_paused', help: '1 when the LLM queues are paused by the budget.', type: 'gauge', values: [{ value: budget.paused ? 1 : 0 }] });

  const q = await quotas();
  out.push({
    name: 'influence_quota_remaining',
    help: 'Quota left: YouTube Data units today (Pacific day), Coupang searches this hour.',
    type: 'gauge',
    values: [
      { labels: { provider: 'youtube' }, value: q.youtube.remainingUnits },
      { labels: { provider: 'coupang' }, value: q.coupang.remaining },
    ],
  });
  out.push({
    name: 'influence_circuit_open',
    help: '1 when this process has the provider circuit breaker open or half-open.',
    type: 'gauge',
    values: breakerStates().map((b) => ({ labels: { provider: b.provider }, value: b.state === 'closed' ? 0 : 1 })),
  });
  return out;
}

/** The exposition text for one scrape. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  const collected = await collect();
  for (const m of collected) {
    registry.registerMetric({
      name: m.name,
      help: m.help,
      type: m.type,
      get: async () => ({ name: m.name, help: m.help, type: m.type, values: m.values, aggregator: 'sum' }),
      reset: () => {},
    } as unknown as Parameters<Registry['registerMetric']>[0]);
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}
