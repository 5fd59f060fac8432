import { checkAlerts } from '@/src/server/notify/summary';
import { log } from '@/src/server/logger';
import { defineWorker } from './define';

/** Cron (hourly by default): failures and anomalies that need a human, each alert sent at most once a day. */
export default defineWorker({
  queue: 'notify.alerts',
  async run(_data, ctx) {
    const alerts = await checkAlerts();
    log.info({ jobId: ctx.jobId, alerts }, 'alert check finished');
  },
});
