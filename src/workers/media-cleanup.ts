import { cleanMedia } from '@/src/server/ops/retention';
import { defineWorker } from './define';

/** Cron: media retention (old frames/audio of finished videos; never what an open candidate shows). */
export default defineWorker({
  queue: 'media.cleanup',
  async run() {
    await cleanMedia();
  },
});
