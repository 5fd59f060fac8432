import { pollAllChannels } from '@/src/server/feeds';
import { defineWorker } from './define';

/** Cron (FEED_POLL_CRON, default daily 07:00 in TZ) and "poll all": one feeds.poll-channel job per active channel. */
export default defineWorker({
  queue: 'feeds.poll',
  async run() {
    await pollAllChannels();
  },
});
