/**
 * Backfill: every upload of a channel published in [from, to). The uploads playlist (`UU…`, newest first) is read
 * in pages of 50 until its items are older than `from`; videos.list (batches of 50) then gives exact publish dates,
 * durations and live state, and the same Shorts/live/celebrity rules as the feed apply. Each call is checked
 * against the daily quota first (budget_exhausted names the reset time) and recorded in the ledger.
 */
import { now } from '@/src/server/clock';
import { setBackfillState } from '@/src/server/channels';
import { DomainError, errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { sendNext } from '@/src/server/queue';
import { youtubeQuotaResetsAt } from '@/src/server/ops/quota';
import { findChannel } from '@/src/server/channels';
import { uploadsPlaylistId } from '@/src/server/channels/channel-input';
import { getVideosByIds, listPlaylistPage } from '@/src/server/integrations/youtube-data/client';
import { mergeDataApi, storeChannelVideos, type StoreResult } from './store-videos';

/** Items are checked against the range with a margin: playlist dates can differ slightly from the video's. */
const MARGIN_MS = 2 * 86_400_000;
const MAX_PAGES = 200;

export type BackfillResult = StoreResult & { pages: number; inRange: number } | { notRun: 'missing' | 'not_active' };

export async function backfillChannel(channelId: number, from: Date, to: Date): Promise<BackfillResult> {
  const channel = await findChannel(channelId);
  if (!channel) return { notRun: 'missing' };
  if (channel.status === 'excluded') return { notRun: 'not_active' };

  const playlistId = uploadsPlaylistId(channel.youtubeChannelId);
  const candidates: string[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const page = await listPlaylistPage(playlistId, pageToken);
    pages++;
    let olderSeen = false;
    for (const item of page.items) {
      const t = item.publishedAt?.getTime();
      if (t === undefined) continue; // private or deleted
      if (t < from.getTime() - MARGIN_MS) olderSeen = true;
      else if (t < to.getTime() + MARGIN_MS) candidates.push(item.videoId);
    }
    // Uploads are newest first: once a page reaches items older than `from`, later pages are older still.
    if (olderSeen) break;
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken && pages < MAX_PAGES);

  const details = await getVideosByIds([...new Set(candidates)]);
  const inRange = details.filter((d) => d.publishedAt && d.publishedAt.getTime() >= from.getTime() && d.publishedAt.getTime() < to.getTime());
  const found = inRange.map((d) =>
    mergeDataApi({ youtubeId: d.id, title: d.title, description: d.description, publishedAt: d.publishedAt, url: `https://www.youtube.com/watch?v=${d.id}` }, d),
  );
  const stored = await storeChannelVideos(channel, found, 'data_api');
  log.info({ channelId, from, to, pages, candidates: candidates.length, inRange: inRange.length }, 'backfill finished');
  return { ...stored, pages, inRange: inRange.length };
}

export type BackfillJob = { channelId: string; from: string; to: string };

/**
 * The channels.backfill step. When the daily YouTube quota runs out it stops before exceeding it and sends itself
 * again for right after the quota resets (midnight Pacific); what was stored stays stored. Its progress is kept on
 * the channel (queued → running → done, waiting_quota or failed) for the channel list.
 */
export async function runBackfill(job: BackfillJob): Promise<void> {
  const channelId = Number(job.channelId);
  await setBackfillState(channelId, { state: 'running', resumesAt: null, error: null });
  try {
    const result = await backfillChannel(channelId, new Date(job.from), new Date(job.to));
    if ('notRun' in result) {
      log.info({ channelId, reason: result.notRun }, 'channels.backfill: nothing to do');
      const error = result.notRun === 'not_active' ? 'the channel is excluded' : 'the channel no longer exists';
      return await setBackfillState(channelId, { state: 'failed', finishedAt: now().toISOString(), error });
    }
    await setBackfillState(channelId, { state: 'done', finishedAt: now().toISOString(), found: result.inRange, stored: result.created });
  } catch (err) {
    if (!(err instanceof DomainError && err.code === 'budget_exhausted')) throw err;
    const startAfter = new Date(youtubeQuotaResetsAt().getTime() + 60_000);
    await sendNext('channels.backfill', 'channels.backfill', job, { startAfter });
    await setBackfillState(channelId, { state: 'waiting_quota', resumesAt: startAfter.toISOString(), error: err.message });
    log.warn({ channelId, startAfter, err: err.message }, 'channels.backfill: quota exhausted, continues after the reset');
  }
}

export async function failBackfill(job: BackfillJob, err: unknown): Promise<void> {
  await setBackfillState(Number(job.channelId), { state: 'failed', finishedAt: now().toISOString(), error: errorMessage(err) });
}
