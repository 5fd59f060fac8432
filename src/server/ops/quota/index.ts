/**
 * The YouTube Data API quota ledger. YouTube counts units per call (list = 1, search = 100) against a daily quota
 * that resets at midnight Pacific time; every call is one `api_usage` row (provider `youtube`, written by the policy
 * layer for each attempt), so the ledger is a sum over today's rows. Work that would exceed `YOUTUBE_DAILY_QUOTA`, or
 * a search beyond `YOUTUBE_SEARCH_DAILY_BUDGET`, is refused before the call with `budget_exhausted` naming the reset.
 *
 * "Today" comes from the clock module, so tests can move it across the reset.
 */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { dayIn, now } from '@/src/server/clock';
import { getConfig } from '@/src/server/config';
import { getDb, schema } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { recordUsage } from '@/src/server/integrations/policy';
import { zonedDayStart, addDays } from './zoned-day';

export { zonedDayStart, addDays } from './zoned-day';

export const YOUTUBE_QUOTA_TZ = 'America/Los_Angeles';
export const YOUTUBE_UNITS = { list: 1, search: 100 } as const;

/** The quota day (YYYY-MM-DD, Pacific) a moment belongs to. */
export function youtubeQuotaDay(at: Date = now()): string {
  return dayIn(YOUTUBE_QUOTA_TZ, at);
}

/** When the current quota day ends (next midnight Pacific). */
export function youtubeQuotaResetsAt(at: Date = now()): Date {
  return zonedDayStart(addDays(youtubeQuotaDay(at), 1), YOUTUBE_QUOTA_TZ);
}

export type YoutubeQuotaStatus = {
  day: string;
  usedUnits: number;
  limitUnits: number;
  searchCalls: number;
  searchBudget: number;
  resetsAt: string;
};

export async function youtubeQuotaStatus(at: Date = now()): Promise<YoutubeQuotaStatus> {
  const config = getConfig();
  const day = youtubeQuotaDay(at);
  const start = zonedDayStart(day, YOUTUBE_QUOTA_TZ);
  const end = zonedDayStart(addDays(day, 1), YOUTUBE_QUOTA_TZ);
  const { apiUsage } = schema;
  const inDay = and(eq(apiUsage.provider, 'youtube'), gte(apiUsage.at, start), lt(apiUsage.at, end));
  const [row] = await getDb()
    .select({
      units: sql<number>`coalesce(sum(${apiUsage.units}), 0)::int`,
      searches: sql<number>`count(*) filter (where ${apiUsage.operation} = 'search.list' and ${apiUsage.outcome} <> 'rejected')::int`,
    })
    .from(apiUsage)
    .where(inDay);
  return {
    day,
    usedUnits: row?.units ?? 0,
    limitUnits: config.YOUTUBE_DAILY_QUOTA,
    searchCalls: row?.searches ?? 0,
    searchBudget: config.YOUTUBE_SEARCH_DAILY_BUDGET,
    resetsAt: end.toISOString(),
  };
}

function resetText(resetsAt: string): string {
  const at = new Date(resetsAt);
  const seoul = new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', dateStyle: 'short', timeStyle: 'short' }).format(at);
  return `${resetsAt} (${seoul} KST, midnight Pacific time)`;
}

/**
 * Refuses (throws budget_exhausted, and records a `rejected` row) when a call costing `units` would pass today's
 * quota, or when a search would pass the daily search budget. Call it right before each Data API call.
 */
export async function assertYoutubeQuota(operation: string, units: number): Promise<void> {
  const status = await youtubeQuotaStatus();
  let problem: string | null = null;
  if (status.usedUnits + units > status.limitUnits) {
    problem =
      `YouTube Data API daily quota would be exceeded: ${status.usedUnits} of ${status.limitUnits} units used today ` +
      `(Pacific day ${status.day}) and ${operation} needs ${units}.`;
  } else if (operation === 'search.list' && status.searchCalls + 1 > status.searchBudget) {
    problem = `YouTube search budget used up: ${status.searchCalls} of ${status.searchBudget} searches today (Pacific day ${status.day}).`;
  }
  if (!problem) return;
  await recordUsage({ provider: 'youtube', operation, units: 0, outcome: 'rejected', error: problem });
  throw new DomainError('budget_exhausted', `${problem} The quota resets at ${resetText(status.resetsAt)}.`);
}

/** Units recorded today; mostly for tests and the console. */
export async function youtubeUnitsUsedToday(): Promise<number> {
  return (await youtubeQuotaStatus()).usedUnits;
}

