import { getConfig } from '@/src/server/config';
import { DomainError, errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { getBoss, type JobName } from '@/src/server/queue';
import { getSetting, updateSetting, type Actor, type SettingKey, type SettingValue } from '@/src/server/settings';

/**
 * Every cron schedule, in one place. pg-boss keeps schedules in the database and any process may (re)declare them.
 * Two kinds: fixed by configuration (env), and editable by an operator under 설정 (stored in settings, defaults from
 * configuration); an edited schedule is declared to pg-boss before it is saved, so a cron pg-boss refuses is refused.
 */

/** Schedules fixed by configuration. */
export function scheduleTable(): { queue: JobName; cron: string }[] {
  const config = getConfig();
  return [
    { queue: 'feeds.poll', cron: config.FEED_POLL_CRON },
    { queue: 'sheets.sync', cron: config.SHEETS_SYNC_CRON },
    { queue: 'notify.alerts', cron: config.ALERTS_CHECK_CRON },
  ];
}

/** The schedules an operator can change under 설정 (re-declaring replaces the cron). */
function settingsTable(s: SettingValue<'schedules'>): { queue: JobName; cron: string }[] {
  return [
    { queue: 'feeds.poll', cron: s.feedPollCron },
    { queue: 'notify.daily-summary', cron: s.dailySummaryCron },
    { queue: 'db.backup', cron: s.backupCron },
    { queue: 'media.cleanup', cron: s.mediaCleanupCron },
  ];
}

async function declare(rows: { queue: JobName; cron: string }[]): Promise<void> {
  const tz = getConfig().TZ;
  for (const r of rows) await getBoss().schedule(r.queue, r.cron, {}, { tz });
}

/** Declares every schedule at start-up: configuration first, then the stored operator settings (they win). */
export async function startSchedules(): Promise<void> {
  await declare(scheduleTable());
  await declare(settingsTable(await getSetting('schedules')));
  log.info({ schedules: scheduleTable().length, tz: getConfig().TZ }, 'schedules declared');
}

/**
 * Changes a setting from the console or API (validated, audited). A schedule change is declared to pg-boss first,
 * so a cron it cannot parse is refused and the previous schedules stay.
 */
export async function changeSetting<K extends SettingKey>(key: K, patch: unknown, by: Actor): Promise<SettingValue<K>> {
  if (key !== 'schedules') return updateSetting(key, patch, by);
  const before = await getSetting('schedules');
  const candidate = { ...before, ...(patch as object) } as SettingValue<'schedules'>;
  try {
    await declare(settingsTable(candidate));
  } catch (err) {
    await declare(settingsTable(before)).catch(() => {});
    throw new DomainError('bad_request', `schedules: ${errorMessage(err)}`);
  }
  return updateSetting(key, patch, by);
}
