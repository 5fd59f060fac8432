import { now } from '@/src/server/clock';
import { setBackfillState } from '@/src/server/channels';
import { DomainError, errorMessage } from '@/src/server/errors';
import { backfillChannel } from '@/src/server/feeds/backfill';
import { log } from '@/src/server/logger';
import { enqueue } from '@/src/server/queue';
import { youtubeQuotaResetsAt } from '@/src/server/quota';
import { defineWorker } from './define';

/**
 * Backfills a channel's uploads in a period. When the daily YouTube quota runs out the job stops before exceeding
 * it and is queued again to start right after the quota resets (midnight Pacific); what was stored stays stored.
 * Its progress is kept on the channel (queued → running → done, waiting_quota or failed) for the channel list.
 */
export default defineWorker({
  queue: 'channels.backfill',
  async run(data) {
    const channelId = Number(data.channelId);
    await setBackfillState(channelId, { state: 'running', resumesAt: null, error: null });
    try {
      const result = await backfillChannel(channelId, new Date(data.from), new Date(data.to));
      if ('notRun' in result) {
        log.info({ channelId: data.channelId, reason: result.notRun }, 'channels.backfill: nothing to do');
        const error = result.notRun === 'not_active' ? 'the channel is excluded' : 'the channel no longer exists';
        return await setBackfillState(channelId, { state: 'failed', finishedAt: now().toISOString(), error });
      }
      await setBackfillState(channelId, { state: 'done', finishedAt: now().toISOString(), found: result.inRange, stored: result.created });
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'budget_exhausted')) throw err;
      const startAfter = new Date(youtubeQuotaResetsAt().getTime() + 60_000);
      await enqueue('channels.backfill', data, { startAfter });
      await setBackfillState(channelId, { state: 'waiting_quota', resumesAt: startAfter.toISOString(), error: err.message });
      log.warn({ channelId: data.channelId, startAfter, err: err.message }, 'channels.backfill: quota exhausted, continues after the reset');
    }
  },
  async onGiveUp(data, err) {
    await setBackfillState(Number(data.channelId), { state: 'failed', finishedAt: now().toISOString(), error: errorMessage(err) });
  },
});
