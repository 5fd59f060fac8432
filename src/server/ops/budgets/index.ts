import { sql } from 'drizzle-orm';
import { getConfig } from '@/src/server/config';
import { dayIn, monthIn, now } from '@/src/server/clock';
import { getDb } from '@/src/server/db';
import { errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { jobNames, jobs, type JobName } from '@/src/server/queue/jobs';
import { getSetting } from '@/src/server/settings';
import { postSlackMessage } from '@/src/server/integrations/slack/client';
import { recordNotification, sentSince } from '@/src/server/notify/log';

/**
 * LLM spend limits per day and month (calendar days in TZ, time from the clock module). When a limit is reached the
 * LLM-dependent queues (jobs.ts `usesLlm`) stop being worked in every worker process; collection, media, visual
 * analysis, monetization and review keep going. A periodic check resumes them when the next period begins.
 */
export type BudgetStatus = {
  timeZone: string;
  day: string;
  month: string;
  dailySpendUsd: number;
  monthlySpendUsd: number;
  dailyLimitUsd: number | null;
  monthlyLimitUsd: number | null;
  paused: boolean;
  /** Which limit paused the LLM queues ('daily' | 'monthly'), null when running. */
  limit: 'daily' | 'monthly' | null;
  reason: string | null;
  /** When the paused queues resume by themselves (start of the next day or month in TZ). */
  resumesAt: string | null;
  llmQueues: JobName[];
};

export const llmQueues = (): JobName[] => jobNames.filter((n) => (jobs[n].policy as { usesLlm?: boolean }).usesLlm);

export async function budgetStatus(): Promise<BudgetStatus> {
  const tz = getConfig().TZ;
  const at = now();
  const day = dayIn(tz, at);
  const month = monthIn(tz, at);
  const limits = await getSetting('budgets');
  const r = await getDb().execute<{ daily: number; monthly: number; next_day: Date; next_month: Date }>(sql`
    WITH b AS (
      SELECT (${day}::date)::timestamp AT TIME ZONE ${tz} AS day_start,
             (${day}::date + 1)::timestamp AT TIME ZONE ${tz} AS next_day,
             (${month + '-01'}::date)::timestamp AT TIME ZONE ${tz} AS month_start,
             ((${month + '-01'}::date) + interval '1 month')::timestamp AT TIME ZONE ${tz} AS next_month
    )
    SELECT
      coalesce((SELECT sum(cost_usd) FROM api_usage, b WHERE provider = 'gemini' AND at >= b.day_start AND at < b.next_day), 0)::float8 AS daily,
      coalesce((SELECT sum(cost_usd) FROM api_usage, b WHERE provider = 'gemini' AND at >= b.month_start AND at < b.next_month), 0)::float8 AS monthly,
      b.next_day, b.next_month
    FROM b`);
  const row = r.rows[0];
  const dailySpendUsd = Number(row.daily);
  const monthlySpendUsd = Number(row.monthly);
  let limit: BudgetStatus['limit'] = null;
  if (limits.llmMonthlyUsd !== null && monthlySpendUsd >= limits.llmMonthlyUsd) limit = 'monthly';
  else if (limits.llmDailyUsd !== null && dailySpendUsd >= limits.llmDailyUsd) limit = 'daily';
  const fmt = (n: number) => `$${n.toFixed(2)}`;
  const resumesAt = limit === 'monthly' ? new Date(row.next_month) : limit === 'daily' ? new Date(row.next_day) : null;
  const reason =
    limit === 'monthly'
      ? `월간 LLM 예산 도달: ${month} 사용 ${fmt(monthlySpendUsd)} / 한도 ${fmt(limits.llmMonthlyUsd!)} (monthly LLM budget reached)`
      : limit === 'daily'
        ? `일일 LLM 예산 도달: ${day} 사용 ${fmt(dailySpendUsd)} / 한도 ${fmt(limits.llmDailyUsd!)} (daily LLM budget reached)`
        : null;
  return {
    timeZone: tz,
    day,
    month,
    dailySpendUsd,
    monthlySpendUsd,
    dailyLimitUsd: limits.llmDailyUsd,
    monthlyLimitUsd: limits.llmMonthlyUsd,
    paused: limit !== null,
    limit,
    reason,
    resumesAt: resumesAt ? resumesAt.toISOString() : null,
    llmQueues: llmQueues(),
  };
}

type Watch = {
  queues: JobName[];
  paused: boolean;
  pause: (queue: JobName) => Promise<void>;
  resume: (queue: JobName) => Promise<void>;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
};

const g = globalThis as unknown as { __influenceBudgetWatch?: Watch; __influenceBudgetIntervalMs?: number };

/** Tests: how often the watcher re-checks (default 30 s). Takes effect on the next startBudgetWatch. */
export function setBudgetCheckInterval(ms: number): void {
  g.__influenceBudgetIntervalMs = ms;
}

/** Whether the LLM queues are paused in this process right now. */
export function llmPausedHere(): boolean {
  return g.__influenceBudgetWatch?.paused ?? false;
}

/**
 * Called by the worker registry: `queues` are the LLM queues this process works, `paused` whether it left them
 * unregistered at start. Checks now and then periodically; pauses/resumes through the given callbacks.
 */
export async function startBudgetWatch(w: Omit<Watch, 'timer' | 'running'>): Promise<void> {
  stopBudgetWatch();
  const watch: Watch = { ...w };
  g.__influenceBudgetWatch = watch;
  await checkBudgetNow();
  watch.timer = setInterval(() => void checkBudgetNow(), g.__influenceBudgetIntervalMs ?? 30_000);
  watch.timer.unref();
}

export function stopBudgetWatch(): void {
  const w = g.__influenceBudgetWatch;
  if (w?.timer) clearInterval(w.timer);
  g.__influenceBudgetWatch = undefined;
}

/** One check: pause or resume this process's LLM queues to match the budget; tells Slack once per period. */
export async function checkBudgetNow(): Promise<BudgetStatus | undefined> {
  const w = g.__influenceBudgetWatch;
  if (!w) return undefined;
  if (w.running) {
    await w.running;
  }
  let status: BudgetStatus | undefined;
  const run = (async () => {
    try {
      status = await budgetStatus();
    } catch (err) {
      log.debug({ err: errorMessage(err) }, 'budget check skipped');
      return;
    }
    if (g.__influenceBudgetWatch !== w) return;
    if (status.paused && !w.paused) {
      w.paused = true;
      for (const q of w.queues) await w.pause(q).catch((e) => log.error({ queue: q, err: errorMessage(e) }, 'could not pause queue'));
      log.warn({ queues: w.queues, reason: status.reason, resumesAt: status.resumesAt }, 'LLM budget reached: LLM queues paused');
      await announceBudgetReached(status).catch((e) => log.error({ err: errorMessage(e) }, 'budget alert not sent'));
    } else if (!status.paused && w.paused) {
      w.paused = false;
      for (const q of w.queues) await w.resume(q).catch((e) => log.error({ queue: q, err: errorMessage(e) }, 'could not resume queue'));
      log.info({ queues: w.queues }, 'LLM budget available again: LLM queues resumed');
    }
  })();
  w.running = run;
  await run;
  w.running = undefined;
  return status;
}

/** One Slack message per period and limit, whichever process notices first. */
async function announceBudgetReached(s: BudgetStatus): Promise<void> {
  const period = s.limit === 'monthly' ? s.month : s.day;
  const target = `budget:${s.limit}:${period}`;
  if (await sentSince('notify.alert', target, new Date(0))) return;
  const resumes = s.resumesAt ? new Date(s.resumesAt).toLocaleString('ko-KR', { timeZone: s.timeZone }) : '';
  const text = `:warning: ${s.reason}\nLLM 작업(${s.llmQueues.join(', ')})을 멈췄습니다. 수집·검토는 계속됩니다. ${resumes}에 자동으로 다시 시작합니다. 한도는 설정에서 바꿀 수 있습니다.`;
  const res = await postSlackMessage({ text }, { operation: 'alert' });
  await recordNotification('notify.alert', target, { text, sent: res.sent, reason: res.sent ? undefined : res.reason });
}
