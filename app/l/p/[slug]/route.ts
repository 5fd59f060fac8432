import { whenReady } from '@/src/server/ready';
import { followShortLink } from '@/src/server/link-in-bio';
import { linkNotFound } from '../../_lib/not-found-response';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ slug: string }> };

/** A link preview or a browser's speculative load says so; it is not a viewer's click. */
const isPrefetch = (req: Request) => /prefetch|prerender/i.test(`${req.headers.get('sec-purpose') ?? ''} ${req.headers.get('purpose') ?? ''}`);

/**
 * `/l/p/<slug>` — public (proxy.ts): 302 to the product's Coupang deep link, one click counted (no cookie, nothing of
 * the viewer stored). HEAD and prefetches are answered without counting; an unknown or unpublished slug is a Korean 404.
 */
async function follow(req: Request, ctx: Ctx, count: boolean): Promise<Response> {
  await whenReady();
  const { slug } = await ctx.params;
  const url = await followShortLink(slug, { count: count && !isPrefetch(req) });
  if (!url) return linkNotFound();
  return new Response(null, { status: 302, headers: { location: url, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
}

export const GET = (req: Request, ctx: Ctx) => follow(req, ctx, true);
export const HEAD = (req: Request, ctx: Ctx) => follow(req, ctx, false);
