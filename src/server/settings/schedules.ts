import { getConfig } from '@/src/server/config';
import { DomainError, errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { getBoss, type JobName } from '@/src/server/queue';
import { getSetting, updateSetting, type Actor, type SettingKey, type SettingValue } from './index';

/** The cron schedules an operator can change under 설정 (pg-boss keeps them; re-declaring replaces the cron). */
function rows(s: SettingValue<'schedules'>): { queue: JobName; cron: string }[] {
  return [
    { queue: 'feeds.poll', cron: s.feedPollCron },
    { queue: 'notify.daily-summary', cron: s.dailySummaryCron },
    { queue: 'db.backup', cron: s.backupCron },
    { queue: 'media.cleanup', cron: s.mediaCleanupCron },
  ];
}

async function declare(s: SettingValue<'schedules'>): Promise<void> {
  const tz = getConfig().TZ;
  for (const r of rows(s)) await getBoss().schedule(r.queue, r.cron, {}, { tz });
}

/** Declares the schedules stored in settings (defaults from config). Called at start-up after the config schedules. */
export async function applyScheduleSettings(): Promise<void> {
  await declare(await getSetting('schedules'));
  log.info('settings schedules declared');
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
    await declare(candidate);
  } catch (err) {
    await declare(before).catch(() => {});
    throw new DomainError('bad_request', `schedules: ${errorMessage(err)}`);
  }
  return updateSetting(key, patch, by);
}
