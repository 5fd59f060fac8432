import { sql } from 'drizzle-orm';
import { getConfig } from '@/src/server/config';
import { dayIn, now } from '@/src/server/clock';
import { getDb } from '@/src/server/db';
import { log } from '@/src/server/logger';
import { postSlackMessage, slackLink } from '@/src/server/integrations/slack/client';
import { getSetting } from '@/src/server/settings';
import { recordNotification, sentSince } from './log';

export type DailySummary = {
  day: string;
  videosCollected: number;
  videosAnalyzed: number;
  videosFailed: number;
  candidatesCreated: number;
  candidatesByStatus: Record<string, number>;
  spendUsd: number;
  externalCalls: number;
  externalErrors: number;
};

/** Figures for one calendar day in TZ (default: yesterday, since the summary runs in the morning). */
export async function computeDailySummary(day?: string): Promise<DailySummary> {
  const tz = getConfig().TZ;
  const d = day ?? dayIn(tz, new Date(now().getTime() - 86400_000));
  const range = sql`(${d}::date)::timestamp AT TIME ZONE ${tz}`;
  const next = sql`(${d}::date + 1)::timestamp AT TIME ZONE ${tz}`;
  const r = await getDb().execute<Record<string, number>>(sql`
    SELECT
      (SELECT count(*) FROM videos WHERE created_at >= ${range} AND created_at < ${next})::int AS collected,
      (SELECT count(*) FROM videos WHERE stage = 'done' AND updated_at >= ${range} AND updated_at < ${next})::int AS analyzed,
      (SELECT count(*) FROM videos WHERE stage = 'failed' AND updated_at >= ${range} AND updated_at < ${next})::int AS failed,
      (SELECT count(*) FROM candidates WHERE created_at >= ${range} AND created_at < ${next})::int AS candidates,
      (SELECT coalesce(sum(cost_usd), 0) FROM api_usage WHERE at >= ${range} AND at < ${next})::float8 AS spend,
      (SELECT count(*) FROM api_usage WHERE at >= ${range} AND at < ${next})::int AS calls,
      (SELECT count(*) FROM api_usage WHERE outcome <> 'ok' AND at >= ${range} AND at < ${next})::int AS errors`);
  const byStatus = await getDb().execute<{ status: string; n: number }>(
    sql`SELECT current_status AS status, count(*)::int AS n FROM candidates GROUP BY 1 ORDER BY 1`,
  );
  const x = r.rows[0];
  return {
    day: d,
    videosCollected: Number(x.collected),
    videosAnalyzed: Number(x.analyzed),
    videosFailed: Number(x.failed),
    candidatesCreated: Number(x.candidates),
    candidatesByStatus: Object.fromEntries(byStatus.rows.map((b) => [b.status, Number(b.n)])),
    spendUsd: Number(x.spend),
    externalCalls: Number(x.calls),
    externalErrors: Number(x.errors),
  };
}

/** The daily summary message, once per day (a rerun of the job sends nothing). */
export async function sendDailySummary(day?: string): Promise<{ sent: boolean; summary: DailySummary; reason?: string }> {
  const summary = await computeDailySummary(day);
  const target = `summary:${summary.day}`;
  if (await sentSince('notify.summary', target, new Date(0))) return { sent: false, summary, reason: 'already_sent' };
  const base = getConfig().APP_BASE_URL;
  const statuses = Object.entries(summary.candidatesByStatus)
    .map(([s, n]) => `${s} ${n}`)
    .join(' · ');
  const text = [
    `*일일 요약 ${summary.day}*`,
    `영상 수집 ${summary.videosCollected} · 분석 완료 ${summary.videosAnalyzed} · 실패 ${summary.videosFailed}`,
    `새 후보 ${summary.candidatesCreated} · 전체 후보: ${statuses || '없음'}`,
    `외부 호출 ${summary.externalCalls} (오류 ${summary.externalErrors}) · 비용 $${summary.spendUsd.toFixed(2)}`,
    slackLink(`${base}/ops`, '운영 화면'),
  ].join('\n');
  const res = await postSlackMessage({ text }, { operation: 'summary' });
  if (!res.sent) return { sent: false, summary, reason: res.reason };
  await recordNotification('notify.summary', target, summary);
  return { sent: true, summary };
}

/**
 * Anomalies and failures that need a human, each sent at most once per day: no new video from any channel for N days,
 * today's cost or external-call failure rate far above the 7-day average, channels failing for a day, videos failed
 * after their retries. Returns the alerts sent.
 */
export async function checkAlerts(): Promise<string[]> {
  const cfg = await getSetting('alerts');
  const db = getDb();
  const at = now();
  const dayAgo = new Date(at.getTime() - 86400_000);
  const alerts: { key: string; text: string }[] = [];
  const base = getConfig().APP_BASE_URL;

  const [latest] = (
    await db.execute<{ last: Date | null; channels: number }>(
      sql`SELECT (SELECT max(created_at) FROM videos WHERE source_kind = 'youtube') AS last, (SELECT count(*)::int FROM channels WHERE status = 'active') AS channels`,
    )
  ).rows;
  if (Number(latest.channels) > 0) {
    const last = latest.last ? new Date(latest.last) : null;
    if (!last || at.getTime() - last.getTime() > cfg.noNewVideoDays * 86400_000) {
      alerts.push({
        key: 'no_new_videos',
        text: `:warning: ${cfg.noNewVideoDays}일 넘게 어느 채널에서도 새 영상이 없습니다 (마지막 수집: ${last ? last.toISOString() : '없음'}). 피드 수집을 확인하세요. ${slackLink(`${base}/channels`, '채널')}`,
      });
    }
  }

  const stats = (
    await db.execute<{ today_cost: number; avg_cost: number; today_calls: number; today_errors: number; week_calls: number; week_errors: number }>(sql`
      SELECT
        coalesce(sum(cost_usd) FILTER (WHERE at >= ${dayAgo.toISOString()}::timestamptz), 0)::float8 AS today_cost,
        (coalesce(sum(cost_usd) FILTER (WHERE at < ${dayAgo.toISOString()}::timestamptz), 0) / 7)::float8 AS avg_cost,
        count(*) FILTER (WHERE at >= ${dayAgo.toISOString()}::timestamptz)::int AS today_calls,
        count(*) FILTER (WHERE at >= ${dayAgo.toISOString()}::timestamptz AND outcome <> 'ok')::int AS today_errors,
        count(*) FILTER (WHERE at < ${dayAgo.toISOString()}::timestamptz)::int AS week_calls,
        count(*) FILTER (WHERE at < ${dayAgo.toISOString()}::timestamptz AND outcome <> 'ok')::int AS week_errors
      FROM api_usage WHERE at >= ${new Date(at.getTime() - 8 * 86400_000).toISOString()}::timestamptz`)
  ).rows[0];
  if (Number(stats.avg_cost) > 0 && Number(stats.today_cost) > cfg.anomalyFactor * Number(stats.avg_cost)) {
    alerts.push({
      key: 'cost_spike',
      text: `:chart_with_upwards_trend: 최근 24시간 비용 $${Number(stats.today_cost).toFixed(2)} — 7일 평균 $${Number(stats.avg_cost).toFixed(2)}의 ${cfg.anomalyFactor}배를 넘었습니다. ${slackLink(`${base}/ops`, '운영')}`,
    });
  }
  const todayRate = Number(stats.today_calls) >= 10 ? Number(stats.today_errors) / Number(stats.today_calls) : 0;
  const weekRate = Number(stats.week_calls) > 0 ? Number(stats.week_errors) / Number(stats.week_calls) : 0;
  if (todayRate > 0.2 && todayRate > cfg.anomalyFactor * Math.max(weekRate, 0.02)) {
    alerts.push({
      key: 'failure_spike',
      text: `:rotating_light: 최근 24시간 외부 호출 실패율 ${(todayRate * 100).toFixed(0)}% (7일 평균 ${(weekRate * 100).toFixed(0)}%). ${slackLink(`${base}/ops`, '운영')}`,
    });
  }

  const failingChannels = await db.execute<{ id: number; title: string; last_error: string | null }>(sql`
    SELECT id, title, feed_last_error AS last_error FROM channels
    WHERE status = 'active' AND feed_consecutive_failures > 0
      AND coalesce(feed_last_success_at, created_at) < ${dayAgo.toISOString()}::timestamptz`);
  for (const c of failingChannels.rows) {
    alerts.push({
      key: `channel_failing:${c.id}`,
      text: `:x: 채널 "${c.title}" 피드가 하루 넘게 실패하고 있습니다: ${c.last_error ?? '알 수 없는 오류'}. ${slackLink(`${base}/channels`, '채널')}`,
    });
  }

  const failedVideos = await db.execute<{ id: number; title: string; failed_stage: string | null; error_message: string | null }>(sql`
    SELECT id, title, failed_stage, error_message FROM videos
    WHERE stage = 'failed' AND updated_at >= ${dayAgo.toISOString()}::timestamptz ORDER BY id LIMIT 50`);
  for (const v of failedVideos.rows) {
    alerts.push({
      key: `video_failed:${v.id}`,
      text: `:x: 영상 분석 실패 (${v.failed_stage ?? '?'} 단계): ${slackLink(`${base}/videos/${v.id}`, v.title || `video ${v.id}`)} — ${v.error_message ?? ''}. 콘솔에서 다시 시도할 수 있습니다.`,
    });
  }

  const sent: string[] = [];
  for (const a of alerts) {
    if (await sentSince('notify.alert', a.key, dayAgo)) continue;
    const res = await postSlackMessage({ text: a.text }, { operation: 'alert' });
    if (!res.sent) {
      log.info({ alert: a.key, reason: res.reason }, 'alert not sent');
      if (res.reason !== 'not_configured') break;
      continue;
    }
    await recordNotification('notify.alert', a.key, { text: a.text });
    sent.push(a.key);
  }
  return sent;
}
