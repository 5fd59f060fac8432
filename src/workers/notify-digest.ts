import { sendVideoDigest } from '@/src/server/notify/digest';
import { log } from '@/src/server/logger';
import { defineWorker } from './define';

/** After a video reaches done: Slack digest of its new candidates (idempotent: a rerun announces nothing twice). */
export default defineWorker({
  queue: 'notify.digest',
  async run({ videoId }, ctx) {
    const r = await sendVideoDigest(Number(videoId));
    log.info({ videoId, jobId: ctx.jobId, ...r }, 'digest job finished');
  },
});
