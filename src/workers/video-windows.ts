import { failVideoWith } from '@/src/server/videos/stage';
import { findVideoWindows } from '@/src/server/windows';
import { defineWorker } from './define';

/** Pass 1 (PRODUCT.md step 6): recommendation windows → one window.visual job each (src/server/windows). */
export default defineWorker({
  queue: 'video.windows',
  run: ({ videoId }) => findVideoWindows(Number(videoId)),
  onGiveUp: ({ videoId }, err) => failVideoWith(Number(videoId), 'windows', 'Finding recommendation windows failed', err),
});
