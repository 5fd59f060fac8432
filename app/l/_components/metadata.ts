import type { Metadata } from 'next';
import { ko } from '@/app/_i18n/ko';
import { getConfig } from '@/src/server/config';
import type { PublicPage } from '@/src/server/link-in-bio';

/** The page's title and Open Graph / Twitter card: what a shared /l link previews as. */
export function linkPageMetadata(data: PublicPage | null, opts: { path: string; celebrity?: string }): Metadata {
  const base = getConfig().APP_BASE_URL;
  const title = opts.celebrity ? ko.linkPage.celebrityTitle(opts.celebrity) : ko.linkPage.title;
  const description = opts.celebrity && data ? ko.linkPage.celebrityDescription(opts.celebrity, data.total) : ko.linkPage.description;
  const image = data?.products.find((p) => p.thumbnail)?.thumbnail ?? null;
  const url = new URL(opts.path, base).toString();
  return {
    metadataBase: new URL(base),
    title: { absolute: title },
    description,
    alternates: { canonical: url },
    openGraph: {
      type: 'website',
      locale: 'ko_KR',
      siteName: ko.linkPage.title,
      title,
      description,
      url,
      ...(image ? { images: [{ url: new URL(image, base).toString(), width: 112, height: 112, alt: title }] } : {}),
    },
    twitter: { card: 'summary', title, description, ...(image ? { images: [new URL(image, base).toString()] } : {}) },
  };
}
