import { cache } from 'react';
import { whenReady } from '@/src/server/ready';
import { listPublicProducts } from '@/src/server/link-in-bio';

/** One load per request, shared by the metadata and the page. */
export const loadPublicPage = cache(async (celebrity: string | undefined, page: number) => {
  await whenReady();
  return listPublicProducts({ celebrity, page });
});

/** `?page=2` → 2; anything else → 1. */
export function pageParam(raw: string | string[] | undefined): number {
  const n = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isSafeInteger(n) && n > 0 ? n : 1;
}
