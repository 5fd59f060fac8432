import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import sharp from 'sharp';

/**
 * Approved candidates ready to be published, for the link-in-bio tests: one celebrity, YouTube video and candidate
 * per product (with a Coupang link and, when asked, a crop image under the server's media folder).
 */
export type SeedProduct = { name: string; celebrity: string; deepLink: string; crop?: boolean; videoTitle?: string; status?: string };

let n = 0;
export async function seedProducts(pool: pg.Pool, mediaDir: string, items: SeedProduct[]): Promise<number[]> {
  const ids: number[] = [];
  for (const item of items) {
    n++;
    const celeb = await pool.query(
      `INSERT INTO celebrities (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [item.celebrity],
    );
    const youtubeId = `lp${String(n).padStart(4, '0')}${Math.random().toString(36).slice(2, 7)}`;
    const title = item.videoTitle ?? `[VLOG] ${item.celebrity} 일상 ${n}`;
    const video = await pool.query(
      `INSERT INTO videos (source_kind, youtube_id, source_url, celebrity_id, title, stage, published_at)
       VALUES ('youtube', $1, $2, $3, $4, 'done', now() - interval '3 days') RETURNING id`,
      [youtubeId, `https://www.youtube.com/watch?v=${youtubeId}`, celeb.rows[0].id, title],
    );
    const videoId = Number(video.rows[0].id);
    let cropPath: string | null = null;
    if (item.crop !== false) {
      cropPath = `${videoId}/crops/w1-20000.jpg`;
      const abs = path.join(mediaDir, cropPath);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      const hue = (n * 67) % 255;
      await sharp({ create: { width: 160, height: 160, channels: 3, background: { r: hue, g: 120, b: 255 - hue } } }).jpeg().toFile(abs);
    }
    const evidence = { transcriptSpan: [], frameTimestamps: [20], ocrLines: [], detections: [], cropPath, framePaths: [], otherWindows: [] };
    const cand = await pool.query(
      `INSERT INTO candidates (video_id, product_key, celebrity_id, celebrity_name, video_title, video_url, video_published_at,
         product_name_ai, clip_start_time, clip_end_time, score_total, coupang_url_ai, is_coupang_product, current_status, evidence)
       VALUES ($1, $2, $3, $4, $5, $6, now() - interval '3 days', $7, 20, 30, 87, $8, true, $9, $10) RETURNING id`,
      [videoId, `p${n}`, celeb.rows[0].id, item.celebrity, title, `https://www.youtube.com/watch?v=${youtubeId}`, item.name, item.deepLink, item.status ?? 'approved', JSON.stringify(evidence)],
    );
    ids.push(Number(cand.rows[0].id));
  }
  return ids;
}

/** Publishes a candidate through the API, as the console's 업로드 완료 button does. */
export async function publish(baseUrl: string, token: string, id: number): Promise<void> {
  const res = await fetch(`${baseUrl}/api/v1/candidates/${id}/transition`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to: 'published' }),
  });
  if (res.status !== 200) throw new Error(`publish ${id} → ${res.status} ${await res.text()}`);
}
