import { checkAlerts, sendDailySummary } from '@/src/server/notify/summary';
import { log } from '@/src/server/logger';
import { defineWorker } from './define';

/** Cron: yesterday's summary to Slack, then the anomaly and failure checks (each alert once per day). */
export default defineWorker({
  queue: 'notify.daily-summary',
  async run(_data, ctx) {
    const summary = await sendDailySummary();
    const alerts = await checkAlerts();
    log.info({ jobId: ctx.jobId, sent: summary.sent, reason: summary.reason, alerts }, 'daily summary job finished');
  },
});
