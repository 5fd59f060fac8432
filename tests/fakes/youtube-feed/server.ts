/**
 * Fake of YouTube's public Atom feeds: GET /feeds/videos.xml?channel_id=UC… | ?playlist_id=UULF…
 * (shape of contracts/youtube-rss/channel-feed.xml).
 *
 * Controls
 *   setChannelFeed(channelId, entries, {title?})   feed for ?channel_id=channelId
 *   setLongFormFeed(channelId, entries | 404)      feed for ?playlist_id=UULF<channelId minus "UC">
 *   clearFeeds()
 *   An unset feed answers 404 (text/html), like YouTube.
 * Failure injection (one-shot FIFO overrides, consumed before normal handling):
 *   failNext(status, body?, headers?)              next request to any feed
 *   script(feedId, steps)                          per-URL sequence; feedId is the channel_id or playlist_id
 *                                                  value; step = status number | 'ok' (normal answer) |
 *                                                  'malformed' | {status, body?, headers?}
 *   malformedNext(feedId?)                         200 with truncated/invalid XML
 *   hangNext(ms, feedId?)                          the response is held ms (then 504), for client timeouts
 * Helpers: channelFeedFromContract() parses the shared contract sample at runtime (never commit its data).
 */
import { heldResponse, OverrideQueue, readContract, sendCanned, sendText, startServer, type CannedResponse, type Override, type RecordedRequest } from '../http';

export interface FeedEntry {
  videoId: string;
  title: string;
  /** ISO 8601 */
  published: string;
  updated?: string;
  description?: string;
  /** true → alternate link is https://www.youtube.com/shorts/<id> */
  short?: boolean;
}

export type FeedStep = number | 'ok' | 'malformed' | CannedResponse;

const MALFORMED_XML = '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>broken & unclosed';

export function longFormPlaylistId(channelId: string): string {
  return 'UULF' + channelId.replace(/^UC/, '');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** YouTube feeds use +00:00 offsets rather than Z. */
function ytDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function renderEntry(e: FeedEntry, channelId: string, channelTitle: string): string {
  const href = e.short ? `https://www.youtube.com/shorts/${e.videoId}` : `https://www.youtube.com/watch?v=${e.videoId}`;
  const chUrl = `https://www.youtube.com/channel/${channelId}`;
  return ` <entry>
  <id>yt:video:${esc(e.videoId)}</id>
  <yt:videoId>${esc(e.videoId)}</yt:videoId>
  <yt:channelId>${esc(channelId)}</yt:channelId>
  <title>${esc(e.title)}</title>
  <link rel="alternate" href="${esc(href)}"/>
  <author>
   <name>${esc(channelTitle)}</name>
   <uri>${esc(chUrl)}</uri>
  </author>
  <published>${ytDate(e.published)}</published>
  <updated>${ytDate(e.updated ?? e.published)}</updated>
  <media:group>
   <media:title>${esc(e.title)}</media:title>
   <media:content url="https://www.youtube.com/v/${esc(e.videoId)}?version=3" type="application/x-shockwave-flash" width="640" height="390"/>
   <media:thumbnail url="https://i1.ytimg.com/vi/${esc(e.videoId)}/hqdefault.jpg" width="480" height="360"/>
   <media:description>${esc(e.description ?? '')}</media:description>
   <media:community>
    <media:starRating count="0" average="0.00" min="1" max="5"/>
    <media:statistics views="0"/>
   </media:community>
  </media:group>
 </entry>
`;
}

export function renderFeedXml(kind: 'channel' | 'playlist', feedId: string, channelId: string, channelTitle: string, entries: FeedEntry[]): string {
  const chUrl = `https://www.youtube.com/channel/${channelId}`;
  const param = kind === 'channel' ? 'channel_id' : 'playlist_id';
  // Like YouTube, the feed-level <yt:channelId> drops the "UC" prefix.
  const head =
    kind === 'channel'
      ? ` <id>yt:channel:${esc(channelId.replace(/^UC/, ''))}</id>\n <yt:channelId>${esc(channelId.replace(/^UC/, ''))}</yt:channelId>\n`
      : ` <id>yt:playlist:${esc(feedId)}</id>\n <yt:playlistId>${esc(feedId)}</yt:playlistId>\n <yt:channelId>${esc(channelId.replace(/^UC/, ''))}</yt:channelId>\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
 <link rel="self" href="http://www.youtube.com/feeds/videos.xml?${param}=${esc(feedId)}"/>
${head} <title>${esc(channelTitle)}</title>
 <link rel="alternate" href="${esc(chUrl)}"/>
 <author>
  <name>${esc(channelTitle)}</name>
  <uri>${esc(chUrl)}</uri>
 </author>
 <published>2019-03-01T09:00:00+00:00</published>
${entries.map((e) => renderEntry(e, channelId, channelTitle)).join('')}</feed>
`;
}

interface StoredFeed {
  kind: 'channel' | 'playlist';
  channelId: string;
  title: string;
  entries: FeedEntry[] | 404;
}

export interface YoutubeFeedFake {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
  setChannelFeed(channelId: string, entries: FeedEntry[], opts?: { title?: string }): void;
  setLongFormFeed(channelId: string, entries: FeedEntry[] | 404, opts?: { title?: string }): void;
  clearFeeds(): void;
  failNext(status: number, body?: string, headers?: Record<string, string>): void;
  script(feedId: string, steps: FeedStep[]): void;
  malformedNext(feedId?: string): void;
  hangNext(ms: number, feedId?: string): void;
  /** Absolute feed URLs for the app's base-URL config. */
  channelFeedUrl(channelId: string): string;
  longFormFeedUrl(channelId: string): string;
}

function stepToOverride(step: FeedStep): Override {
  if (step === 'ok' || step === 200) return 'pass';
  if (step === 'malformed') return { status: 200, body: MALFORMED_XML, headers: { 'content-type': 'text/xml; charset=UTF-8' } };
  if (typeof step === 'number') return { status: step, body: step === 404 ? '<html><body>Error 404 (Not Found)</body></html>' : `<html><body>Error ${step}</body></html>`, headers: { 'content-type': 'text/html; charset=UTF-8' } };
  return step;
}

export async function startYoutubeFeedFake(): Promise<YoutubeFeedFake> {
  const feeds = new Map<string, StoredFeed>(); // key: channel_id or playlist_id value
  const queue = new OverrideQueue();
  const feedIdOf = (r: RecordedRequest) => r.query.channel_id ?? r.query.playlist_id ?? '';

  const srv = await startServer((req, res) => {
    const o = queue.take(req);
    if (o && o !== 'pass') return sendCanned(res, o, 'text/html; charset=UTF-8');
    if (req.method !== 'GET' || req.path !== '/feeds/videos.xml') {
      return sendText(res, 404, '<html><body>Error 404 (Not Found)</body></html>', 'text/html; charset=UTF-8');
    }
    const id = feedIdOf(req);
    const feed = feeds.get(id);
    if (!id || !feed || feed.entries === 404) {
      return sendText(res, 404, '<html><body>Error 404 (Not Found)</body></html>', 'text/html; charset=UTF-8');
    }
    sendText(res, 200, renderFeedXml(feed.kind, id, feed.channelId, feed.title, feed.entries), 'text/xml; charset=UTF-8');
  });

  return {
    ...srv,
    setChannelFeed(channelId, entries, opts) {
      feeds.set(channelId, { kind: 'channel', channelId, title: opts?.title ?? `Channel ${channelId}`, entries });
    },
    setLongFormFeed(channelId, entries, opts) {
      feeds.set(longFormPlaylistId(channelId), { kind: 'playlist', channelId, title: opts?.title ?? `Channel ${channelId}`, entries });
    },
    clearFeeds() {
      feeds.clear();
    },
    failNext(status, body, headers) {
      queue.push({ status, body: body ?? `<html><body>Error ${status}</body></html>`, headers: { 'content-type': 'text/html; charset=UTF-8', ...headers } });
    },
    script(feedId, steps) {
      for (const s of steps) queue.push(stepToOverride(s), (r) => feedIdOf(r) === feedId);
    },
    malformedNext(feedId) {
      queue.push(stepToOverride('malformed'), feedId ? (r) => feedIdOf(r) === feedId : undefined);
    },
    hangNext(ms, feedId) {
      queue.push(heldResponse(ms, '<html><body>Error 504</body></html>', { 'content-type': 'text/html; charset=UTF-8' }), feedId ? (r) => feedIdOf(r) === feedId : undefined);
    },
    channelFeedUrl: (channelId) => `${srv.url}/feeds/videos.xml?channel_id=${encodeURIComponent(channelId)}`,
    longFormFeedUrl: (channelId) => `${srv.url}/feeds/videos.xml?playlist_id=${encodeURIComponent(longFormPlaylistId(channelId))}`,
  };
}

function unesc(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Parse the contract sample feed (read at runtime from SHARED_DIR or ../shared) into entries. */
export function channelFeedFromContract(): { channelId: string; title: string; entries: FeedEntry[] } {
  const xml = readContract('youtube-rss/channel-feed.xml');
  const pick = (block: string, re: RegExp) => {
    const m = block.match(re);
    return m ? unesc(m[1]) : undefined;
  };
  const blocks = xml.split('<entry>').slice(1).map((b) => b.split('</entry>')[0]);
  const head = xml.split('<entry>')[0];
  const entries = blocks.map((b): FeedEntry => {
    const href = pick(b, /<link rel="alternate" href="([^"]+)"/) ?? '';
    return {
      videoId: pick(b, /<yt:videoId>([^<]+)<\/yt:videoId>/) ?? '',
      title: pick(b, /<title>([^<]*)<\/title>/) ?? '',
      published: pick(b, /<published>([^<]+)<\/published>/) ?? '',
      updated: pick(b, /<updated>([^<]+)<\/updated>/),
      description: pick(b, /<media:description>([\s\S]*?)<\/media:description>/) ?? '',
      short: href.includes('/shorts/'),
    };
  });
  const selfHref = pick(head, /<link rel="self" href="[^"]*channel_id=([^"&]+)"/) ?? '';
  return { channelId: selfHref, title: pick(head, /<title>([^<]*)<\/title>/) ?? '', entries };
}
