import { pollChannel } from '@/src/server/feeds';
import { log } from '@/src/server/logger';
import { defineWorker } from './define';

/**
 * Reads one channel's feed and stores its new videos. Transient failures are retried inside the job, then recorded
 * on the channel (feed health) and thrown so pg-boss retries later with backoff.
 */
export default defineWorker({
  queue: 'feeds.poll-channel',
  async run({ channelId }) {
    const result = await pollChannel(Number(channelId));
    if ('notPolled' in result) log.info({ channelId, reason: result.notPolled }, 'feeds.poll-channel: nothing to do');
  },
});
