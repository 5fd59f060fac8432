/**
 * Which videos are never analyzed, and why. Shorts and live/upcoming broadcasts are skipped by every signal at hand;
 * the rule that fired is stored with the video (`skipReason`) so the operator can see it.
 *
 * Rules, first match wins:
 *   upcoming_live / live  liveBroadcastContent from the Data API ('upcoming' | 'live'); nothing to analyze yet.
 *   shorts_link           the video URL is a /shorts/ URL. Not applied to entries of the long-form feed
 *                         (playlist UULF…): that playlist holds no Shorts, so its entries never carry /shorts/ links;
 *                         if one ever did, the feed is the better-informed source.
 *   shorts_duration       duration known and ≤ 180 s (YouTube's Shorts limit). Unknown duration never fires it.
 *   shorts_hashtag        #shorts as a hashtag in title or description, when the duration is unknown (a known
 *                         duration above 180 s proves it is not a Short) and the entry is not from the long-form feed.
 */

export type VideoSource = 'longform_feed' | 'channel_feed' | 'data_api' | 'manual';
export type SkipRule = 'shorts_link' | 'shorts_duration' | 'shorts_hashtag' | 'upcoming_live' | 'live';

export interface SkipFacts {
  source: VideoSource;
  url?: string | null;
  title?: string | null;
  description?: string | null;
  durationSeconds?: number | null;
  liveBroadcastContent?: string | null;
}

export type SkipDecision = { skip: false } | { skip: true; rule: SkipRule; reason: string };

export const SHORTS_MAX_SECONDS = 180;

/** `#shorts` standing as a hashtag: not preceded by a word character, not followed by one (#shortsfood is not it). */
const SHORTS_HASHTAG = /(?<![\p{L}\p{N}_#])#shorts(?![\p{L}\p{N}_])/iu;

export function hasShortsHashtag(text: string | null | undefined): boolean {
  return !!text && SHORTS_HASHTAG.test(text.normalize('NFKC'));
}

const skip = (rule: SkipRule, reason: string): SkipDecision => ({ skip: true, rule, reason });

export function decideSkip(facts: SkipFacts): SkipDecision {
  const live = facts.liveBroadcastContent?.trim().toLowerCase();
  if (live === 'upcoming') {
    return skip('upcoming_live', '예정된 라이브 방송이라 아직 분석할 영상이 없습니다 — upcoming live stream, nothing to analyze yet');
  }
  if (live === 'live') {
    return skip('live', '진행 중인 라이브 방송은 분석하지 않습니다 — live broadcast in progress');
  }

  if (facts.source !== 'longform_feed' && facts.url && youtubeVideoIdFromUrl(facts.url)?.isShorts) {
    return skip('shorts_link', '쇼츠 링크(/shorts/)로 게시된 영상입니다 — Shorts link (/shorts/ URL)');
  }

  const duration = facts.durationSeconds;
  const durationKnown = typeof duration === 'number' && Number.isFinite(duration) && duration > 0;
  if (durationKnown && duration <= SHORTS_MAX_SECONDS) {
    return skip(
      'shorts_duration',
      `길이 ${Math.round(duration)}초로 쇼츠 기준(${SHORTS_MAX_SECONDS}초 이하)에 해당합니다 — ` +
        `duration ${Math.round(duration)} s ≤ ${SHORTS_MAX_SECONDS} s (Shorts)`,
    );
  }

  if (
    !durationKnown &&
    facts.source !== 'longform_feed' &&
    (hasShortsHashtag(facts.title) || hasShortsHashtag(facts.description))
  ) {
    return skip('shorts_hashtag', '제목/설명에 #shorts 해시태그가 있습니다 — #shorts hashtag in title or description');
  }

  return { skip: false };
}

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
const YOUTUBE_HOSTS = new Set([
  'youtube.com',
  'www.youtube.com',
  'm.youtube.com',
  'music.youtube.com',
  'youtube-nocookie.com',
  'www.youtube-nocookie.com',
]);
const SHORT_LINK_HOSTS = new Set(['youtu.be', 'www.youtu.be']);
/** Path prefixes whose next segment is the video id. */
const ID_IN_PATH = new Set(['shorts', 'live', 'embed', 'v', 'e']);

/**
 * The video id of a YouTube watch/share URL, and whether it is a /shorts/ URL; null when the URL is not a YouTube
 * video URL or its id is not 11 characters of [A-Za-z0-9_-]. Extra parameters (t=, si=, list= …) are ignored.
 */
export function youtubeVideoIdFromUrl(input: string): { videoId: string; isShorts: boolean } | null {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  const host = url.hostname.toLowerCase();
  const segments = url.pathname.split('/').filter(Boolean);

  let candidate: string | null | undefined;
  let isShorts = false;
  if (SHORT_LINK_HOSTS.has(host)) {
    candidate = segments[0];
  } else if (YOUTUBE_HOSTS.has(host)) {
    if (segments[0] === 'watch' && segments.length === 1) {
      candidate = url.searchParams.get('v');
    } else if (segments[0] !== undefined && ID_IN_PATH.has(segments[0])) {
      candidate = segments[1];
      isShorts = segments[0] === 'shorts';
    }
  }
  if (!candidate || !VIDEO_ID.test(candidate)) return null;
  return { videoId: candidate, isShorts };
}
