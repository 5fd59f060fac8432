import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/src/server/db';
import { mediaRoot, resolveMediaPath } from '@/src/server/media/paths';
import { SLUG_PATTERN } from './slug';
import { safeDeepLink } from './urls';

const published = sql`c.current_status = 'published' AND coalesce(c.coupang_url_manual, c.coupang_url_ai) IS NOT NULL`;

/**
 * A viewer follows `/l/p/<slug>`: the Coupang deep link of that published product, and one more click counted (a bare
 * counter; nothing about the viewer is read or kept). `count: false` (HEAD, link previews that say they prefetch)
 * answers without counting. null: no published product has that slug.
 */
export async function followShortLink(slug: string, opts: { count?: boolean } = {}, db: Executor = getDb()): Promise<string | null> {
  if (!SLUG_PATTERN.test(slug)) return null;
  const res =
    opts.count === false
      ? await db.execute(sql`
          SELECT coalesce(c.coupang_url_manual, c.coupang_url_ai) AS url
          FROM public_links pl JOIN candidates c ON c.id = pl.candidate_id
          WHERE pl.slug = ${slug} AND ${published}`)
      : await db.execute(sql`
          UPDATE public_links pl SET clicks = pl.clicks + 1
          FROM candidates c
          WHERE pl.slug = ${slug} AND c.id = pl.candidate_id AND ${published}
          RETURNING coalesce(c.coupang_url_manual, c.coupang_url_ai) AS url`);
  const row = res.rows[0] as { url: string | null } | undefined;
  return safeDeepLink(row?.url ?? null);
}

const IMAGE_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp' };

/**
 * The thumbnail of a published product: its best frame's crop, and nothing else of the media folder (the path comes
 * from the candidate's own evidence, must stay inside the media folder through symlinks, and must be an image).
 */
export async function publicThumbnail(slug: string, db: Executor = getDb()): Promise<{ file: string; type: string; size: number; mtime: Date } | null> {
  if (!SLUG_PATTERN.test(slug)) return null;
  const res = await db.execute(sql`
    SELECT c.evidence->>'cropPath' AS crop
    FROM public_links pl JOIN candidates c ON c.id = pl.candidate_id
    WHERE pl.slug = ${slug} AND ${published}`);
  const stored = (res.rows[0] as { crop: string | null } | undefined)?.crop;
  if (!stored) return null;
  const type = IMAGE_TYPES[path.extname(stored).toLowerCase()];
  if (!type) return null;
  try {
    const real = await fs.promises.realpath(resolveMediaPath(stored));
    const root = await fs.promises.realpath(mediaRoot()).catch(() => mediaRoot());
    if (!real.startsWith(root + path.sep)) return null;
    const stat = await fs.promises.stat(real);
    return stat.isFile() ? { file: real, type, size: stat.size, mtime: stat.mtime } : null;
  } catch {
    return null;
  }
}
