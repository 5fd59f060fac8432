import { produceTranscript } from '@/src/server/transcripts';
import { failVideoWith } from '@/src/server/videos/stage';
import { defineWorker } from './define';

/** Transcript (PRODUCT.md step 5), then pass 1 (src/server/transcripts). */
export default defineWorker({
  queue: 'video.transcript',
  run: ({ videoId }) => produceTranscript(Number(videoId)),
  onGiveUp: ({ videoId }, err) => failVideoWith(Number(videoId), 'transcript', 'Transcript failed', err),
});
