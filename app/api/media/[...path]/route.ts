import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { withApi } from '@/src/server/auth/with-api';
import { DomainError } from '@/src/server/errors';
import { mediaRoot, resolveMediaPath } from '@/src/server/media/paths';
import { contentTypeOf, parseRange } from '../range';

/**
 * Media files (frames, crops, uploaded videos) for signed-in users: `GET /api/media/<stored path>`. Refuses paths
 * outside the media folder (also through symlinks), answers HTTP Range requests (206) so a <video> can seek, and
 * `?download=1` asks the browser to save the file.
 */
export const GET = withApi({}, async ({ req, params }) => {
  const parts = (params as unknown as { path?: string[] }).path ?? [];
  // Next has already decoded each segment; decoding again would turn `%25` into a bad escape (a 500) or `%252e` into `.`.
  const stored = parts.join('/');
  const abs = resolveMediaPath(stored);
  let real: string;
  let stat: fs.Stats;
  try {
    real = await fs.promises.realpath(abs);
    stat = await fs.promises.stat(real);
  } catch {
    throw new DomainError('not_found', `Media file not found: ${stored}`);
  }
  const root = await fs.promises.realpath(mediaRoot()).catch(() => mediaRoot());
  if (!real.startsWith(root + path.sep)) throw new DomainError('forbidden', 'Path outside the media folder.');
  if (!stat.isFile()) throw new DomainError('not_found', `Media file not found: ${stored}`);

  const headers = new Headers({
    'content-type': contentTypeOf(real),
    'accept-ranges': 'bytes',
    'cache-control': 'private, max-age=300',
    'x-content-type-options': 'nosniff',
    'last-modified': stat.mtime.toUTCString(),
  });
  if (new URL(req.url).searchParams.get('download') === '1') {
    headers.set('content-disposition', `attachment; filename="${path.basename(real).replace(/[^\w.-]/g, '_')}"`);
  }
  const range = parseRange(req.headers.get('range'), stat.size);
  if (range === 'unsatisfiable') {
    headers.set('content-range', `bytes */${stat.size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: stat.size - 1 };
  headers.set('content-length', String(stat.size === 0 ? 0 : end - start + 1));
  if (range) headers.set('content-range', `bytes ${start}-${end}/${stat.size}`);
  if (req.method === 'HEAD' || stat.size === 0) return new Response(null, { status: range ? 206 : 200, headers });
  const body = Readable.toWeb(fs.createReadStream(real, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, { status: range ? 206 : 200, headers });
});

export const HEAD = GET;
