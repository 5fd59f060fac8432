import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { publicPaths } from '@/src/server/link-in-bio';
import { ProductList } from '../_components/product-list';
import { linkPageMetadata } from '../_components/metadata';
import { loadPublicPage, pageParam } from '../_components/load';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ celebrity: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The celebrity's name from the segment (Next hands it over percent-encoded; decoding an already plain name changes
 * nothing). A name is at most 100 characters: a longer one is a 404 without a query.
 */
const nameOf = async (props: Pick<Props, 'params'>) => {
  const raw = (await props.params).celebrity;
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    /* not an encoding (a literal %): the name as it came */
  }
  return name.length <= 100 ? name.normalize('NFC') : null;
};

export async function generateMetadata(props: Props): Promise<Metadata> {
  const name = await nameOf(props);
  const data = name ? await loadPublicPage(name, pageParam((await props.searchParams).page)) : null;
  if (!name || !data) notFound();
  return linkPageMetadata(data, { path: publicPaths.celebrity(name), celebrity: name });
}

/** /l/<celebrity> — one celebrity's published products, newest first; a celebrity with none is a 404. */
export default async function CelebrityLinkPage(props: Props) {
  const name = await nameOf(props);
  const data = name ? await loadPublicPage(name, pageParam((await props.searchParams).page)) : null;
  if (!name || !data) notFound();
  return <ProductList data={data} celebrity={name} basePath={publicPaths.celebrity(name)} />;
}
