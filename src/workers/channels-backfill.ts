import { DomainError } from '@/src/server/errors';
import { backfillChannel } from '@/src/server/feeds/backfill';
import { log } from '@/src/server/logger';
import { enqueue } from '@/src/server/queue';
import { youtubeQuotaResetsAt } from '@/src/server/quota';
import { defineWorker } from './define';

/**
 * Backfills a channel's uploads in a period. When the daily YouTube quota runs out the job stops before exceeding
 * it and is queued again to start right after the quota resets (midnight Pacific); what was stored stays stored.
 */
export default defineWorker({
  queue: 'channels.backfill',
  async run(data) {
    try {
      const result = await backfillChannel(Number(data.channelId), new Date(data.from), new Date(data.to));
      if ('notRun' in result) log.info({ channelId: data.channelId, reason: result.notRun }, 'channels.backfill: nothing to do');
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'budget_exhausted')) throw err;
      const startAfter = new Date(youtubeQuotaResetsAt().getTime() + 60_000);
      await enqueue('channels.backfill', data, { startAfter });
      log.warn({ channelId: data.channelId, startAfter, err: err.message }, 'channels.backfill: quota exhausted, continues after the reset');
    }
  },
});
