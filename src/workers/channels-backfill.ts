import { failBackfill, runBackfill } from '@/src/server/feeds/backfill';
import { defineWorker } from './define';

/** A channel's uploads in a period, through the YouTube Data API (src/server/feeds/backfill.ts). */
export default defineWorker({
  queue: 'channels.backfill',
  run: (job) => runBackfill(job),
  onGiveUp: (job, err) => failBackfill(job, err),
});
