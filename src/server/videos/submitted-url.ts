import { DomainError } from '@/src/server/errors';
import { youtubeVideoIdFromUrl } from './shorts-rules';

const YOUTUBE_HOSTS = /(^|\.)(youtube\.com|youtu\.be|youtube-nocookie\.com)$/i;

export type SubmittedUrl = { kind: 'youtube'; youtubeId: string; isShorts: boolean } | { kind: 'url'; url: string };

/** Classifies a URL a user submitted for analysis. YouTube links must carry a valid video id. */
export async function parseSubmittedUrl(raw: string): Promise<SubmittedUrl> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new DomainError('bad_request', 'url: not a valid URL', 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DomainError('bad_request', 'url: must use http or https', 'url');
  }
  if (YOUTUBE_HOSTS.test(url.hostname)) {
    const yt = youtubeVideoIdFromUrl(url.toString());
    if (!yt) throw new DomainError('bad_request', 'url: a YouTube link must point at one video (watch, youtu.be, embed or shorts)', 'url');
    return { kind: 'youtube', youtubeId: yt.videoId, isShorts: yt.isShorts };
  }
  return { kind: 'url', url: url.toString() };
}
