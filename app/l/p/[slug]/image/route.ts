import fs from 'node:fs';
import { Readable } from 'node:stream';
import { whenReady } from '@/src/server/ready';
import { publicThumbnail } from '@/src/server/link-in-bio';
import { linkNotFound } from '../../../_lib/not-found-response';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ slug: string }> };

/**
 * `/l/p/<slug>/image` — public (proxy.ts): the crop of a published product, the only media file served without
 * sign-in. Nothing else of the media folder is reachable from here (the path comes from the candidate's evidence).
 */
async function image(req: Request, ctx: Ctx): Promise<Response> {
  await whenReady();
  const { slug } = await ctx.params;
  const thumb = await publicThumbnail(slug);
  if (!thumb) return linkNotFound();
  const headers = new Headers({
    'content-type': thumb.type,
    'content-length': String(thumb.size),
    'cache-control': 'public, max-age=3600',
    'last-modified': thumb.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') return new Response(null, { status: 200, headers });
  return new Response(Readable.toWeb(fs.createReadStream(thumb.file)) as ReadableStream<Uint8Array>, { status: 200, headers });
}

export const GET = image;
export const HEAD = image;
