import { getConfig } from '@/src/server/config';
import { log } from '@/src/server/logger';
import { getBoss, type JobName } from './index';
import { applyScheduleSettings } from '@/src/server/settings/schedules';

/** Cron schedules (pg-boss keeps them in the database; any process may (re)declare them). */
export function scheduleTable(): { queue: JobName; cron: string }[] {
  const config = getConfig();
  return [
    { queue: 'feeds.poll', cron: config.FEED_POLL_CRON },
    { queue: 'sheets.sync', cron: config.SHEETS_SYNC_CRON },
    { queue: 'notify.alerts', cron: config.ALERTS_CHECK_CRON },
  ];
}

export async function startSchedules(): Promise<void> {
  const config = getConfig();
  const boss = getBoss();
  for (const s of scheduleTable()) {
    await boss.schedule(s.queue, s.cron, {}, { tz: config.TZ });
  }
  // Operator-editable schedules (설정): daily summary, backup, media cleanup, and feeds.poll when changed there.
  await applyScheduleSettings();
  log.info({ schedules: scheduleTable().length, tz: config.TZ }, 'schedules declared');
}
