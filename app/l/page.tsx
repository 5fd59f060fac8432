import type { Metadata } from 'next';
import { ProductList } from './_components/product-list';
import { linkPageMetadata } from './_components/metadata';
import { loadPublicPage, pageParam } from './_components/load';

export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata(props: Props): Promise<Metadata> {
  const data = await loadPublicPage(undefined, pageParam((await props.searchParams).page));
  return linkPageMetadata(data, { path: '/l' });
}

/**
 * /l — the public link-in-bio page (no sign-in; proxy.ts lets /l through): every published product, newest first.
 * Served from the link-in-bio snapshot (src/server/link-in-bio/list.ts), refreshed when something is published.
 */
export default async function LinkPage(props: Props) {
  const data = (await loadPublicPage(undefined, pageParam((await props.searchParams).page)))!;
  return <ProductList data={data} basePath="/l" />;
}
