/**
 * A worker process for bench/backlog.ts: the app started with APP_ROLE=worker (database, queues, workers; no web),
 * as `npm start` would run a second process of the same build. Its detector and OCR models are loaded before it says
 * "ready" over IPC (a serving process loads them once, at its first window; the backlog measures the steady rate). With
 * "ready" and again on "stop" it sends its CPU seconds so far (its own and its ffmpeg children's), on "stop" with its
 * peak RSS after stopping the app; then it exits.
 */
import { cpuSeconds } from './database';

process.env.APP_ROLE = 'worker';
const app = await import('@/src/start');
await app.startApp();
const sharp = (await import('sharp')).default;
const blank = await sharp({ create: { width: 640, height: 360, channels: 3, background: '#808080' } }).jpeg().toBuffer();
await (await import('@/src/models/detector')).detectObjectsBatch([blank], { scoreThreshold: 0.3, maxDetections: 10 });
await (await import('@/src/models/ocr')).readText(blank);
process.send?.({ type: 'ready', cpu: cpuSeconds() }); // the backlog counts CPU from here: start-up and model loading are not per video
process.on('message', async (m: { type?: string }) => {
  if (m?.type !== 'stop') return;
  await app.stopApp();
  process.send?.({ type: 'stopped', cpu: cpuSeconds(), peakRss: process.resourceUsage().maxRSS * 1024 }, () => process.exit(0));
});
