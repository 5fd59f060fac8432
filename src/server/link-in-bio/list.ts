import { sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/src/server/db';
import { effectiveProductName } from '@/src/server/product-name';
import { publicPaths, publicVideoUrl, safeDeepLink } from './urls';

/** One product as the public page shows it: nothing internal (no id, score, operator or status). */
export type PublicProduct = {
  slug: string;
  productName: string;
  celebrityName: string;
  videoTitle: string;
  /** YouTube at the clip's moment, or null for sources a viewer cannot open. */
  videoUrl: string | null;
  /** `/l/p/<slug>/image` (the best frame's crop), the matched Coupang picture (https), or null. */
  thumbnail: string | null;
  /** The short link; it redirects to the Coupang deep link and counts the click. */
  href: string;
  publishedAt: string | null;
};

export type PublicPage = {
  products: PublicProduct[];
  /** Celebrities with at least one published product, most products first. */
  celebrities: { name: string; count: number }[];
  total: number;
  page: number;
  pages: number;
};

export const PUBLIC_PAGE_SIZE = 30;

type Snapshot = { stamp: string; products: PublicProduct[]; celebrities: { name: string; count: number }[] };
const g = globalThis as unknown as { __influenceLinkPage?: Snapshot };

const published = sql`c.current_status = 'published' AND coalesce(c.coupang_url_manual, c.coupang_url_ai) IS NOT NULL`;

/**
 * What changes the page: which candidates are published with a link, and any later edit of one of them. One index
 * range over the published candidates; when it matches the snapshot the page is served from memory.
 */
async function stamp(db: Executor): Promise<string> {
  const res = await db.execute(sql`
    SELECT count(*)::int AS n, coalesce(max(c.updated_at), 'epoch')::text AS u, coalesce(max(pl.created_at), 'epoch')::text AS p
    FROM public_links pl JOIN candidates c ON c.id = pl.candidate_id
    WHERE ${published}`);
  const r = res.rows[0] as { n: number; u: string; p: string };
  return `${r.n}|${r.u}|${r.p}`;
}

async function load(db: Executor, currentStamp: string): Promise<Snapshot> {
  const res = await db.execute(sql`
    SELECT pl.slug, c.product_name_ai, c.product_name_manual, c.celebrity_name, c.video_title, c.clip_start_time,
           c.evidence->>'cropPath' AS crop, c.coupang_product->>'image' AS product_image, c.published_at,
           coalesce(c.coupang_url_manual, c.coupang_url_ai) AS deep_link,
           CASE WHEN v.source_kind = 'youtube' THEN v.youtube_id END AS youtube_id
    FROM public_links pl
    JOIN candidates c ON c.id = pl.candidate_id
    LEFT JOIN videos v ON v.id = c.video_id
    WHERE ${published}
    ORDER BY c.published_at DESC NULLS LAST, c.id DESC`);
  type Row = {
    slug: string;
    product_name_ai: string;
    product_name_manual: string | null;
    celebrity_name: string;
    video_title: string;
    clip_start_time: number;
    crop: string | null;
    product_image: string | null;
    published_at: Date | string | null;
    deep_link: string | null;
    youtube_id: string | null;
  };
  const products: PublicProduct[] = [];
  const counts = new Map<string, number>();
  for (const r of res.rows as Row[]) {
    if (!safeDeepLink(r.deep_link)) continue; // a short link that would not redirect is not shown
    const image = r.product_image && /^https:\/\//i.test(r.product_image) ? r.product_image : null;
    products.push({
      slug: r.slug,
      productName: effectiveProductName({ productNameAi: r.product_name_ai, productNameManual: r.product_name_manual }),
      celebrityName: r.celebrity_name,
      videoTitle: r.video_title,
      videoUrl: publicVideoUrl(r.youtube_id, Number(r.clip_start_time)),
      thumbnail: r.crop ? publicPaths.thumbnail(r.slug) : image,
      href: publicPaths.shortLink(r.slug),
      publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
    });
    if (r.celebrity_name) counts.set(r.celebrity_name, (counts.get(r.celebrity_name) ?? 0) + 1);
  }
  const celebrities = [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'ko'));
  return { stamp: currentStamp, products, celebrities };
}

/**
 * Published products, newest first, a page at a time (all of them, or one celebrity's). Served from a per-process
 * snapshot that is reloaded when the published set changes (checked with one small query per call), so a publish,
 * an undo or an edit shows at once in every process while a burst of visitors costs one index range each.
 * `null` when a celebrity has no published product (the page answers 404: the registry itself is not public).
 */
export async function listPublicProducts(opts: { celebrity?: string; page?: number } = {}, db: Executor = getDb()): Promise<PublicPage | null> {
  const current = await stamp(db);
  let snap = g.__influenceLinkPage;
  if (!snap || snap.stamp !== current) {
    snap = await load(db, current);
    g.__influenceLinkPage = snap;
  }
  const all = opts.celebrity === undefined ? snap.products : snap.products.filter((p) => p.celebrityName === opts.celebrity);
  if (opts.celebrity !== undefined && !all.length) return null;
  const pages = Math.max(1, Math.ceil(all.length / PUBLIC_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1) || 1), pages);
  return {
    products: all.slice((page - 1) * PUBLIC_PAGE_SIZE, page * PUBLIC_PAGE_SIZE),
    celebrities: snap.celebrities,
    total: all.length,
    page,
    pages,
  };
}
