/**
 * Backfill: every upload of a channel published in [from, to). The uploads playlist (`UU…`, newest first) is read
 * in pages of 50 until its items are older than `from`; videos.list (batches of 50) then gives exact publish dates,
 * durations and live state, and the same Shorts/live/celebrity rules as the feed apply. Each call is checked
 * against the daily quota first (budget_exhausted names the reset time) and recorded in the ledger.
 */
import { log } from '@/src/server/logger';
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
