import { failVideoWith } from '@/src/server/videos/stage';
import { ingestVideo } from '@/src/server/videos/ingest';
import { defineWorker } from './define';

/** YouTube metadata and skip rules, then media (src/server/videos/ingest.ts). */
export default defineWorker({
  queue: 'video.ingest',
  run: ({ videoId }) => ingestVideo(Number(videoId)),
  onGiveUp: ({ videoId }, err) => failVideoWith(Number(videoId), 'queued', 'Ingest failed', err),
});
