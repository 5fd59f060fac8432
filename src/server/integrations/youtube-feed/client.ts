/**
 * Fetches a channel's public Atom feed from `YOUTUBE_FEED_BASE_URL` (an origin; default https://www.youtube.com).
 *
 * The long-form-only feed (`playlist_id=UULF…`, no Shorts) is asked first; when it answers 404 the channel feed
 * (`channel_id=UC…`, Shorts included) is asked at once — that is normal, not a failure. Transient errors (5xx, 429,
 * network, timeouts, a truncated body, and a 404 of the channel feed — YouTube answers 404 bursts for valid channels)
 * are retried by the policy layer; every attempt is one `api_usage` row (provider youtube_feed, 0 units).
 * `onFailedAttempt` lets the caller show failed attempts even when a later one succeeds.
 */
import { getConfig } from '@/src/server/config';
import { DomainError, errorMessage } from '@/src/server/errors';
import { IntegrationError, isRetryableStatus, parseRetryAfter } from '@/src/server/integrations/errors';
import { callExternal } from '@/src/server/integrations/policy';
import { longFormPlaylistId } from '@/src/server/channels/channel-input';
import { parseYoutubeFeed, type YoutubeFeed } from './parse';

export type FeedSource = 'longform' | 'channel';
export type FetchedFeed = { source: FeedSource; feed: YoutubeFeed };

export type FetchFeedOptions = {
  /** Treat a 404 of the channel feed as transient (polling a known channel) or as "no such channel" (validation). */
  channelNotFound?: 'transient' | 'missing';
  retries?: number;
  onFailedAttempt?: (message: string) => void;
};

const MAX_BYTES = 5_000_000;

export function feedUrl(param: 'channel_id' | 'playlist_id', value: string): string {
  return `${getConfig().YOUTUBE_FEED_BASE_URL}/feeds/videos.xml?${param}=${encodeURIComponent(value)}`;
}

async function getFeed(
  operation: string,
  url: string,
  notFound: 'null' | 'transient' | 'missing',
  opts: FetchFeedOptions,
): Promise<YoutubeFeed | null> {
  return callExternal(
    { provider: 'youtube_feed', operation },
    async (signal) => {
      const fail = (err: Error) => {
        opts.onFailedAttempt?.(err.message);
        return err;
      };
      let res: Response;
      try {
        res = await fetch(url, { signal, redirect: 'follow', headers: { accept: 'application/atom+xml, text/xml;q=0.9' } });
      } catch (err) {
        throw fail(err instanceof Error ? err : new Error(String(err)));
      }
      if (res.status === 404 && notFound === 'null') {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) {
        await res.body?.cancel();
        const retryable = isRetryableStatus(res.status) || (res.status === 404 && notFound === 'transient');
        throw fail(
          new IntegrationError(
            { provider: 'youtube_feed', operation, status: res.status, retryable, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')), code: `http_${res.status}` },
            `YouTube feed ${operation} answered HTTP ${res.status}`,
          ),
        );
      }
      const body = await res.text();
      if (body.length > MAX_BYTES) throw fail(new DomainError('upstream_failed', `YouTube feed ${operation} is larger than ${MAX_BYTES} bytes`));
      try {
        return parseYoutubeFeed(body);
      } catch (err) {
        // A truncated body is usually a transient glitch: retry it like a 5xx.
        throw fail(new IntegrationError({ provider: 'youtube_feed', operation, status: res.status, retryable: true, code: 'malformed' }, errorMessage(err)));
      }
    },
    { retries: opts.retries },
  );
}

/** The channel's videos: long-form feed first, channel feed when it answers 404. */
export async function fetchChannelFeed(channelId: string, opts: FetchFeedOptions = {}): Promise<FetchedFeed> {
  try {
    const longForm = await getFeed('feed.longform', feedUrl('playlist_id', longFormPlaylistId(channelId)), 'null', opts);
    if (longForm) return { source: 'longform', feed: longForm };
    const channel = await getFeed('feed.channel', feedUrl('channel_id', channelId), opts.channelNotFound ?? 'transient', opts);
    return { source: 'channel', feed: channel! };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    if (err instanceof IntegrationError && err.status === 404 && opts.channelNotFound === 'missing') {
      throw new DomainError('bad_request', `YouTube has no feed for channel ${channelId}: check the channel id.`, 'input');
    }
    throw new DomainError('upstream_failed', `YouTube feed for ${channelId} could not be read: ${errorMessage(err)}`);
  }
}
