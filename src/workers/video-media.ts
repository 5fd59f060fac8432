import { acquireVideoMedia } from '@/src/server/videos/acquire-media';
import { failVideoWith } from '@/src/server/videos/stage';
import { defineWorker } from './define';

/** Media acquisition, then the transcript (src/server/videos/acquire-media.ts). */
export default defineWorker({
  queue: 'video.media',
  run: ({ videoId }) => acquireVideoMedia(Number(videoId)),
  onGiveUp: ({ videoId }, err) => failVideoWith(Number(videoId), 'media', 'Media could not be fetched', err),
});
