/**
 * Fake of the YouTube Data API v3 as googleapis calls it with rootUrl = fake.url + '/':
 *   GET /youtube/v3/channels | playlistItems | videos | search
 *
 * Auth: `key` query param must equal opts.apiKey (default 'test-youtube-key'); otherwise the
 * contract 400 keyInvalid body.
 * Data controls: addChannel(ch), addVideo(v), setPlaylist(playlistId, videoIds) (uploads playlists
 *   "UU…" are derived from addVideo automatically, newest first), setSearchResults(q, refs).
 * Failure injection: one-shot FIFO overrides consumed before normal handling:
 *   failNext(status, body?, headers?, endpoint?)   body defaults to the contract body for 400/403/404
 *   quotaExceededNext(endpoint?) · playlistNotFoundNext() · malformedNext(endpoint?)
 *   hangNext(ms, endpoint?)   the response is held ms (then 504), for client timeouts
 *   endpoint = 'channels' | 'playlistItems' | 'videos' | 'search' (omitted = any endpoint)
 * Counters: count(endpoint) / counts(), quotaUnits() (list = 1, search = 100).
 * Note googleapis retries GET 5xx/429 by default (gaxios retry) unless the client passes retry:false.
 */
import { heldResponse, OverrideQueue, readContractJson, sendCanned, sendJson, startServer, type RecordedRequest } from '../http';

export type Endpoint = 'channels' | 'playlistItems' | 'videos' | 'search';
const ENDPOINTS: Endpoint[] = ['channels', 'playlistItems', 'videos', 'search'];

export interface FakeChannel {
  id: string;
  /** '@handle' or 'handle' */
  handle?: string;
  title: string;
  description?: string;
  customUrl?: string;
  subscriberCount?: number;
  videoCount?: number;
  viewCount?: number;
  hiddenSubscriberCount?: boolean;
  /** defaults to 'UU' + id without 'UC' */
  uploadsPlaylistId?: string;
  publishedAt?: string;
  country?: string;
}

export interface FakeVideo {
  id: string;
  channelId: string;
  title: string;
  description?: string;
  publishedAt: string;
  /** ISO 8601 duration, e.g. PT12M3S; 'P0D' for upcoming lives */
  duration?: string;
  liveBroadcastContent?: 'none' | 'upcoming' | 'live';
  tags?: string[];
  viewCount?: number;
  likeCount?: number;
  commentCount?: number;
  defaultAudioLanguage?: string;
  /** private videos show as "Private video" in playlistItems and are absent from videos.list */
  privacy?: 'public' | 'unlisted' | 'private';
}

export type SearchRef = { channelId: string } | { videoId: string };

function err(code: number, message: string, reason: string, domain = 'global', extra: Record<string, string> = {}) {
  return { error: { code, message, errors: [{ message, domain, reason, ...extra }] } };
}

/** Contract bodies are read at runtime from the shared dir; a minimal equivalent is used if absent. */
function contractBody(file: string, fallback: object): object {
  try {
    return readContractJson(`youtube-data/${file}`);
  } catch {
    return fallback;
  }
}
const keyInvalidBody = () => contractBody('error-400-keyInvalid.json', { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', errors: [{ message: 'API key not valid. Please pass a valid API key.', domain: 'global', reason: 'badRequest' }], status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }] } });
const quotaBody = () => contractBody('error-403-quotaExceeded.json', err(403, 'The request cannot be completed because you have exceeded your quota.', 'quotaExceeded', 'youtube.quota'));
const playlistNotFoundBody = () => contractBody('error-404-playlistNotFound.json', err(404, "The playlist identified with the request's playlistId parameter cannot be found.", 'playlistNotFound', 'youtube.playlistItem', { location: 'playlistId', locationType: 'parameter' }));

function defaultErrorBody(status: number): object {
  if (status === 400) return keyInvalidBody();
  if (status === 403) return quotaBody();
  if (status === 404) return playlistNotFoundBody();
  if (status === 429) return err(429, 'Too many requests.', 'rateLimitExceeded', 'youtube.quota');
  return { error: { code: status, message: status >= 500 ? 'Internal error encountered.' : `Error ${status}`, errors: [{ message: 'Internal error encountered.', domain: 'global', reason: status >= 500 ? 'backendError' : 'badRequest' }], status: status >= 500 ? 'INTERNAL' : 'UNKNOWN' } };
}

const MALFORMED = '{"kind": "youtube#listResponse", "items": [{"id": ';

let etagN = 0;
const etag = () => `fakeEtag${(++etagN).toString(36).padStart(6, '0')}`;
const normHandle = (h: string) => '@' + h.replace(/^@/, '').toLowerCase();
const uploadsOf = (c: FakeChannel) => c.uploadsPlaylistId ?? 'UU' + c.id.replace(/^UC/, '');

function thumbs(base: string) {
  return {
    default: { url: `${base}/default.jpg`, width: 120, height: 90 },
    medium: { url: `${base}/mqdefault.jpg`, width: 320, height: 180 },
    high: { url: `${base}/hqdefault.jpg`, width: 480, height: 360 },
  };
}

function encodeToken(offset: number): string {
  return 'FAKEPT' + Buffer.from(String(offset)).toString('base64url');
}
function decodeToken(t: string): number | undefined {
  if (!t.startsWith('FAKEPT')) return undefined;
  const n = Number(Buffer.from(t.slice(6), 'base64url').toString());
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export interface YoutubeDataFakeOptions {
  apiKey?: string;
}

export interface YoutubeDataFake {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
  addChannel(ch: FakeChannel): void;
  addVideo(v: FakeVideo): void;
  setPlaylist(playlistId: string, videoIds: string[]): void;
  setSearchResults(q: string, refs: SearchRef[]): void;
  failNext(status: number, body?: string | object, headers?: Record<string, string>, endpoint?: Endpoint): void;
  quotaExceededNext(endpoint?: Endpoint): void;
  playlistNotFoundNext(): void;
  malformedNext(endpoint?: Endpoint): void;
  hangNext(ms: number, endpoint?: Endpoint): void;
  count(endpoint: Endpoint): number;
  counts(): Record<Endpoint, number>;
  quotaUnits(): number;
}

export async function startYoutubeDataFake(opts: YoutubeDataFakeOptions = {}): Promise<YoutubeDataFake> {
  const apiKey = opts.apiKey ?? 'test-youtube-key';
  const channels = new Map<string, FakeChannel>();
  const videos = new Map<string, FakeVideo>();
  const playlists = new Map<string, string[]>(); // explicit playlists
  const searches = new Map<string, SearchRef[]>();
  const queue = new OverrideQueue();
  const calls: Record<Endpoint, number> = { channels: 0, playlistItems: 0, videos: 0, search: 0 };

  const endpointOf = (r: RecordedRequest): Endpoint | undefined => {
    const m = r.path.match(/^\/youtube\/v3\/([A-Za-z]+)$/);
    return m && (ENDPOINTS as string[]).includes(m[1]) ? (m[1] as Endpoint) : undefined;
  };
  const matchEndpoint = (ep?: Endpoint) => (ep ? (r: RecordedRequest) => endpointOf(r) === ep : undefined);

  const playlistVideoIds = (playlistId: string): string[] | undefined => {
    if (playlists.has(playlistId)) return playlists.get(playlistId);
    const ch = [...channels.values()].find((c) => uploadsOf(c) === playlistId);
    const chId = ch?.id ?? (playlistId.startsWith('UU') ? 'UC' + playlistId.slice(2) : undefined);
    const vids = [...videos.values()].filter((v) => v.channelId === chId);
    if (!ch && vids.length === 0) return undefined;
    return vids.sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt)).map((v) => v.id);
  };

  /** Values of a list param, whether sent comma-separated or repeated (googleapis repeats arrays). */
  const list = (r: RecordedRequest, name: string) => (r.queryAll[name] ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  const channelTitle = (id: string) => channels.get(id)?.title ?? '';

  function channelResource(c: FakeChannel, p: Set<string>) {
    const out: Record<string, unknown> = { kind: 'youtube#channel', etag: etag(), id: c.id };
    const handle = c.handle ? normHandle(c.handle) : undefined;
    if (p.has('snippet'))
      out.snippet = {
        title: c.title,
        description: c.description ?? '',
        customUrl: c.customUrl ?? handle ?? '',
        publishedAt: c.publishedAt ?? '2019-03-01T09:00:00Z',
        thumbnails: thumbs(`https://yt3.ggpht.com/fake-${c.id}`),
        localized: { title: c.title, description: c.description ?? '' },
        ...(c.country ? { country: c.country } : {}),
      };
    if (p.has('contentDetails')) out.contentDetails = { relatedPlaylists: { likes: '', uploads: uploadsOf(c) } };
    if (p.has('statistics'))
      out.statistics = {
        viewCount: String(c.viewCount ?? 0),
        subscriberCount: String(c.subscriberCount ?? 0),
        hiddenSubscriberCount: c.hiddenSubscriberCount ?? false,
        videoCount: String(c.videoCount ?? [...videos.values()].filter((v) => v.channelId === c.id).length),
      };
    return out;
  }

  function videoResource(v: FakeVideo, p: Set<string>) {
    const out: Record<string, unknown> = { kind: 'youtube#video', etag: etag(), id: v.id };
    const live = v.liveBroadcastContent ?? 'none';
    if (p.has('snippet'))
      out.snippet = {
        publishedAt: v.publishedAt,
        channelId: v.channelId,
        title: v.title,
        description: v.description ?? '',
        thumbnails: thumbs(`https://i.ytimg.com/vi/${v.id}`),
        channelTitle: channelTitle(v.channelId),
        ...(v.tags ? { tags: v.tags } : {}),
        categoryId: '26',
        liveBroadcastContent: live,
        localized: { title: v.title, description: v.description ?? '' },
        ...(v.defaultAudioLanguage ? { defaultAudioLanguage: v.defaultAudioLanguage } : {}),
      };
    if (p.has('contentDetails'))
      out.contentDetails = { duration: v.duration ?? (live === 'none' ? 'PT1M' : 'P0D'), dimension: '2d', definition: 'hd', caption: 'false', licensedContent: false, contentRating: {}, projection: 'rectangular' };
    if (p.has('statistics'))
      out.statistics = { viewCount: String(v.viewCount ?? 0), likeCount: String(v.likeCount ?? 0), favoriteCount: '0', commentCount: String(v.commentCount ?? 0) };
    if (p.has('status')) out.status = { uploadStatus: 'processed', privacyStatus: v.privacy ?? 'public', license: 'youtube', embeddable: true, publicStatsViewable: true, madeForKids: false };
    if (p.has('liveStreamingDetails') && live !== 'none') out.liveStreamingDetails = { scheduledStartTime: v.publishedAt, ...(live === 'live' ? { actualStartTime: v.publishedAt } : {}) };
    return out;
  }

  function badRequest(message: string, reason: string) {
    return err(400, message, reason, 'youtube.parameter');
  }

  /** Parse maxResults/pageToken; returns [offset, size] or an error body. */
  function paging(q: Record<string, string>, def: number): [number, number] | object {
    const size = q.maxResults === undefined ? def : Number(q.maxResults);
    if (!Number.isInteger(size) || size < 0 || size > 50) return badRequest(`Invalid value '${q.maxResults}'. Values must be within the range: [0, 50]`, 'invalidParameter');
    let offset = 0;
    if (q.pageToken) {
      const o = decodeToken(q.pageToken);
      if (o === undefined) return badRequest('The request specifies an invalid page token.', 'invalidPageToken');
      offset = o;
    }
    return [offset, size];
  }

  function page<T>(all: T[], offset: number, size: number, extra: Record<string, unknown>, kind: string) {
    const items = all.slice(offset, offset + size);
    const body: Record<string, unknown> = { kind, etag: etag() };
    if (offset + size < all.length) body.nextPageToken = encodeToken(offset + size);
    if (offset > 0) body.prevPageToken = encodeToken(Math.max(0, offset - size));
    Object.assign(body, extra);
    body.pageInfo = { totalResults: all.length, resultsPerPage: size };
    body.items = items;
    return body;
  }

  const srv = await startServer((req, res) => {
    const ep = endpointOf(req);
    if (ep) calls[ep]++;
    const o = queue.take(req);
    if (o && o !== 'pass') return sendCanned(res, o);
    if (req.method !== 'GET' || !ep) return sendJson(res, 404, { error: { code: 404, message: `fake youtube-data: no route ${req.method} ${req.path}`, status: 'NOT_FOUND' } });
    const q = req.query;
    if (q.key !== apiKey) return sendJson(res, 400, keyInvalidBody());
    const p = new Set(list(req, 'part'));
    if (p.size === 0) return sendJson(res, 400, err(400, "No filter selected. Expected one of: part", 'missingRequiredParameter', 'youtube.parameter', { location: 'part', locationType: 'parameter' }));

    if (ep === 'channels') {
      let found: FakeChannel[];
      if (q.id !== undefined) {
        const ids = list(req, 'id');
        if (ids.length > 50) return sendJson(res, 400, badRequest('The request specifies too many ids.', 'invalidFilters'));
        found = ids.map((id) => channels.get(id)).filter((c): c is FakeChannel => !!c);
      } else if (q.forHandle !== undefined) {
        const h = normHandle(q.forHandle);
        found = [...channels.values()].filter((c) => c.handle && normHandle(c.handle) === h);
      } else if (q.forUsername !== undefined) {
        found = [...channels.values()].filter((c) => c.handle && normHandle(c.handle) === normHandle(q.forUsername));
      } else {
        return sendJson(res, 400, badRequest('No filter selected. Expected one of: forHandle, forUsername, id, managedByMe, mine, mySubscribers, categoryId', 'missingRequiredParameter'));
      }
      const body: Record<string, unknown> = { kind: 'youtube#channelListResponse', etag: etag(), pageInfo: { totalResults: found.length, resultsPerPage: 5 } };
      if (found.length) body.items = found.map((c) => channelResource(c, p));
      return sendJson(res, 200, body);
    }

    if (ep === 'videos') {
      if (q.id === undefined) return sendJson(res, 400, badRequest('No filter selected. Expected one of: chart, id, myRating', 'missingRequiredParameter'));
      const ids = list(req, 'id');
      if (ids.length > 50) return sendJson(res, 400, badRequest('The request specifies too many ids.', 'invalidFilters'));
      const found = ids.map((id) => videos.get(id)).filter((v): v is FakeVideo => !!v && v.privacy !== 'private');
      return sendJson(res, 200, { kind: 'youtube#videoListResponse', etag: etag(), items: found.map((v) => videoResource(v, p)), pageInfo: { totalResults: found.length, resultsPerPage: found.length } });
    }

    if (ep === 'playlistItems') {
      if (!q.playlistId) return sendJson(res, 400, badRequest('No filter selected. Expected one of: id, playlistId', 'missingRequiredParameter'));
      const ids = playlistVideoIds(q.playlistId);
      if (!ids) return sendJson(res, 404, playlistNotFoundBody());
      const pg = paging(q, 5);
      if (!Array.isArray(pg)) return sendJson(res, 400, pg);
      const [offset, size] = pg;
      const items = ids.map((vid, position) => {
        const v = videos.get(vid);
        const priv = !v || v.privacy === 'private';
        const chId = v?.channelId ?? '';
        const out: Record<string, unknown> = { kind: 'youtube#playlistItem', etag: etag(), id: Buffer.from(`${q.playlistId}.${vid}`).toString('base64') };
        if (p.has('snippet'))
          out.snippet = {
            publishedAt: v?.publishedAt ?? '2020-01-01T00:00:00Z',
            channelId: chId,
            title: priv ? 'Private video' : v.title,
            description: priv ? 'This video is private.' : v.description ?? '',
            thumbnails: priv ? {} : thumbs(`https://i.ytimg.com/vi/${vid}`),
            channelTitle: channelTitle(chId),
            playlistId: q.playlistId,
            position,
            resourceId: { kind: 'youtube#video', videoId: vid },
            ...(priv ? {} : { videoOwnerChannelTitle: channelTitle(chId), videoOwnerChannelId: chId }),
          };
        if (p.has('contentDetails')) out.contentDetails = priv ? { videoId: vid } : { videoId: vid, videoPublishedAt: v.publishedAt };
        if (p.has('status')) out.status = { privacyStatus: v?.privacy ?? 'private' };
        return out;
      });
      return sendJson(res, 200, page(items, offset, size, {}, 'youtube#playlistItemListResponse'));
    }

    // search
    const types = new Set(q.type === undefined ? ['video', 'channel', 'playlist'] : list(req, 'type'));
    const pg = paging(q, 5);
    if (!Array.isArray(pg)) return sendJson(res, 400, pg);
    const [offset, size] = pg;
    let refs: SearchRef[];
    const qq = (q.q ?? '').trim();
    if (searches.has(qq)) refs = searches.get(qq)!;
    else {
      const terms = qq.toLowerCase().split(/\s+/).filter(Boolean);
      const hit = (s: string) => terms.every((t) => s.toLowerCase().includes(t));
      refs = [
        ...[...channels.values()].filter((c) => hit(`${c.title} ${c.description ?? ''} ${c.handle ?? ''}`)).map((c) => ({ channelId: c.id })),
        ...[...videos.values()].filter((v) => v.privacy !== 'private' && hit(`${v.title} ${v.description ?? ''}`)).map((v) => ({ videoId: v.id })),
      ];
    }
    const after = q.publishedAfter ? Date.parse(q.publishedAfter) : -Infinity;
    const before = q.publishedBefore ? Date.parse(q.publishedBefore) : Infinity;
    const results = refs.flatMap((r): object[] => {
      if ('channelId' in r) {
        if (!types.has('channel')) return [];
        const c = channels.get(r.channelId);
        if (!c) throw new Error(`fake youtube-data: search result channel ${r.channelId} not registered`);
        const pub = c.publishedAt ?? '2019-03-01T09:00:00Z';
        if (!(Date.parse(pub) >= after && Date.parse(pub) <= before)) return [];
        return [{ kind: 'youtube#searchResult', etag: etag(), id: { kind: 'youtube#channel', channelId: c.id }, snippet: { publishedAt: pub, channelId: c.id, title: c.title, description: c.description ?? '', thumbnails: thumbs(`https://yt3.ggpht.com/fake-${c.id}`), channelTitle: c.title, liveBroadcastContent: 'none', publishTime: pub } }];
      }
      if (!types.has('video')) return [];
      const v = videos.get(r.videoId);
      if (!v) throw new Error(`fake youtube-data: search result video ${r.videoId} not registered`);
      if (!(Date.parse(v.publishedAt) >= after && Date.parse(v.publishedAt) <= before)) return [];
      return [{ kind: 'youtube#searchResult', etag: etag(), id: { kind: 'youtube#video', videoId: v.id }, snippet: { publishedAt: v.publishedAt, channelId: v.channelId, title: v.title, description: v.description ?? '', thumbnails: thumbs(`https://i.ytimg.com/vi/${v.id}`), channelTitle: channelTitle(v.channelId), liveBroadcastContent: v.liveBroadcastContent ?? 'none', publishTime: v.publishedAt } }];
    });
    return sendJson(res, 200, page(results, offset, size, { regionCode: q.regionCode ?? 'KR' }, 'youtube#searchListResponse'));
  });

  const errHeaders = { 'content-type': 'application/json; charset=UTF-8' };
  return {
    ...srv,
    apiKey,
    addChannel: (c) => void channels.set(c.id, c),
    addVideo: (v) => void videos.set(v.id, v),
    setPlaylist: (id, ids) => void playlists.set(id, ids),
    setSearchResults: (q, refs) => void searches.set(q.trim(), refs),
    failNext(status, body, headers, endpoint) {
      queue.push({ status, body: body ?? defaultErrorBody(status), headers: { ...errHeaders, ...headers } }, matchEndpoint(endpoint));
    },
    quotaExceededNext: (endpoint) => queue.push({ status: 403, body: quotaBody() }, matchEndpoint(endpoint)),
    playlistNotFoundNext: () => queue.push({ status: 404, body: playlistNotFoundBody() }, matchEndpoint('playlistItems')),
    malformedNext: (endpoint) => queue.push({ status: 200, body: MALFORMED }, matchEndpoint(endpoint)),
    hangNext: (ms, endpoint) => queue.push(heldResponse(ms, defaultErrorBody(504)), matchEndpoint(endpoint)),
    count: (ep) => calls[ep],
    counts: () => ({ ...calls }),
    quotaUnits: () => calls.channels + calls.playlistItems + calls.videos + calls.search * 100,
  };
}
