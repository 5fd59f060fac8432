/**
 * Feed collection: `feeds.poll` fans out one `feeds.poll-channel` job per active channel (bounded by that queue's
 * concurrency); each poll reads the channel's feed and stores new videos.
 *
 * Feed health is kept on the channel: a poll that succeeds sets lastSuccessAt and resets consecutiveFailures (failed
 * attempts before the success still set lastErrorAt/lastError, so bursts stay visible); a poll whose attempts all
 * fail increments consecutiveFailures, records the error and throws so pg-boss retries later. A channel is never
 * disabled by failures — the operator decides.
 */
import { eq, sql } from 'drizzle-orm';
import { now } from '@/src/server/clock';
import { getConfig } from '@/src/server/config';
import { getDb, schema } from '@/src/server/db';
import { DomainError, errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { sendNext, startJob } from '@/src/server/queue';
import { findChannel, getChannelOrThrow } from '@/src/server/channels';
import { activeChannelIds } from '@/src/server/channels/repo';
import { fetchChannelFeed } from '@/src/server/integrations/youtube-feed/client';
import { storeChannelVideos, type FoundVideo, type StoreResult } from './store-videos';

export { storeChannelVideos, type FoundVideo, type StoreResult } from './store-videos';

const { channels } = schema;

/** Queues a poll of every active channel. Returns how many polls were queued (already-queued ones are not counted). */
export async function pollAllChannels(): Promise<{ channels: number; queued: number }> {
  let after = 0;
  let total = 0;
  let queued = 0;
  for (;;) {
    const ids = await activeChannelIds(after, 500);
    if (!ids.length) break;
    for (const id of ids) {
      total++;
      if (await sendNext('feeds.poll', 'feeds.poll-channel', { channelId: String(id) })) queued++;
    }
    after = ids[ids.length - 1];
  }
  log.info({ channels: total, queued }, 'feed poll fanned out');
  return { channels: total, queued };
}

/** "Poll now" from the console/API: one channel, or all active channels. */
export async function requestPoll(channelId?: string): Promise<{ channels: number; queued: number }> {
  if (channelId) {
    const channel = await getChannelOrThrow(channelId);
    if (channel.status !== 'active') {
      throw new DomainError('invalid_transition', `Channel #${channel.id} is ${channel.status}: approve it before collecting its feed.`, 'channelId');
    }
    const jobId = await startJob('feeds.poll-channel', { channelId: String(channel.id) });
    return { channels: 1, queued: jobId ? 1 : 0 };
  }
  const jobId = await startJob('feeds.poll', {});
  return { channels: -1, queued: jobId ? 1 : 0 };
}

export type PollResult = StoreResult & { source: 'longform' | 'channel'; tooOld: number } | { notPolled: 'not_active' | 'missing' };

export async function pollChannel(channelId: number, opts: { retries?: number } = {}): Promise<PollResult> {
  const channel = await findChannel(channelId);
  if (!channel) return { notPolled: 'missing' };
  if (channel.status !== 'active') return { notPolled: 'not_active' };
  const db = getDb();
  const failures: string[] = [];
  const startedAt = now();
  await db.update(channels).set({ feedLastPolledAt: startedAt }).where(eq(channels.id, channel.id));

  let fetched;
  try {
    fetched = await fetchChannelFeed(channel.youtubeChannelId, { retries: opts.retries, onFailedAttempt: (m) => failures.push(m) });
  } catch (err) {
    const message = errorMessage(err);
    await db
      .update(channels)
      .set({
        feedLastErrorAt: now(),
        feedLastError: message.slice(0, 1000),
        feedConsecutiveFailures: sql`${channels.feedConsecutiveFailures} + 1`,
      })
      .where(eq(channels.id, channel.id));
    log.warn({ channelId: channel.id, err: message }, 'feed poll failed');
    throw err instanceof DomainError ? err : new DomainError('upstream_failed', message);
  }

  const cutoff = now().getTime() - getConfig().FEED_MAX_AGE_DAYS * 86_400_000;
  const entries = fetched.feed.entries;
  const recent = entries.filter((e) => e.published.getTime() >= cutoff);
  const found: FoundVideo[] = recent.map((e) => ({ youtubeId: e.videoId, title: e.title, description: e.description, publishedAt: e.published, url: e.url }));
  const stored = await storeChannelVideos(channel, found, fetched.source === 'longform' ? 'longform_feed' : 'channel_feed');

  const lastFailure = failures.at(-1);
  await db
    .update(channels)
    .set({
      feedLastSuccessAt: now(),
      feedConsecutiveFailures: 0,
      feedSource: fetched.source,
      ...(lastFailure
        ? { feedLastErrorAt: now(), feedLastError: `${failures.length} failed attempt(s) before success: ${lastFailure}`.slice(0, 1000) }
        : {}),
      ...(fetched.feed.title && !channel.title ? { title: fetched.feed.title } : {}),
    })
    .where(eq(channels.id, channel.id));
  return { ...stored, source: fetched.source, tooOld: entries.length - recent.length };
}
