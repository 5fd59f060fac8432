import { getConfig } from '@/src/server/config';

/** The paths of the public page; the only place they are spelled (proxy.ts lists the same prefix). */
export const publicPaths = {
  page: '/l',
  celebrity: (name: string) => `/l/${encodeURIComponent(name)}`,
  shortLink: (slug: string) => `/l/p/${slug}`,
  thumbnail: (slug: string) => `/l/p/${slug}/image`,
};

/** The short link as a caption names it: absolute, on the app's public address (APP_BASE_URL). */
export const shortLinkUrl = (slug: string) => `${getConfig().APP_BASE_URL}${publicPaths.shortLink(slug)}`;

/**
 * Where a short link may send a viewer: an https link on coupang.com (the Partners deep link or a pasted product
 * link). Anything else stored by mistake is not followed: the short link is never an open redirect.
 */
export function safeDeepLink(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    const host = url.hostname.toLowerCase();
    if (url.protocol !== 'https:' || url.username || url.password) return null;
    return host === 'coupang.com' || host.endsWith('.coupang.com') ? url.toString() : null;
  } catch {
    return null;
  }
}

/** The video a product came from, as a viewer can open it: YouTube at the clip's moment; other sources are not linked. */
export function publicVideoUrl(youtubeId: string | null, clipStart: number): string | null {
  if (!youtubeId || !/^[\w-]{6,20}$/.test(youtubeId)) return null;
  const t = Math.max(0, Math.floor(clipStart));
  return `https://www.youtube.com/watch?v=${youtubeId}${t ? `&t=${t}s` : ''}`;
}
