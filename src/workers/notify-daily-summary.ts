import { sendDailySummary } from '@/src/server/notify/summary';
import { log } from '@/src/server/logger';
import { defineWorker } from './define';

/** Cron: yesterday's summary to Slack (alerts have their own hourly job, notify.alerts). */
export default defineWorker({
  queue: 'notify.daily-summary',
  async run(_data, ctx) {
    const summary = await sendDailySummary();
    log.info({ jobId: ctx.jobId, sent: summary.sent, reason: summary.reason }, 'daily summary job finished');
  },
});
