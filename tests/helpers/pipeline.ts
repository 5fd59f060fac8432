import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { getDb, schema } from '@/src/server/db';
import { mediaPaths, toStoredPath } from '@/src/server/media/paths';

/** Helpers shared by the pipeline integration tests (tests/integration/pipeline-*.test.ts). */
export const sharedDir = () => process.env.SHARED_DIR ?? path.resolve(import.meta.dirname, '..', '..', '..', 'shared');
export const fixtureVideo = () => path.join(sharedDir(), 'models', 'fixtures', 'vlog_roundlab_60s.mp4');
export const fixtureCaptions = path.resolve(import.meta.dirname, '..', 'fixtures', 'media', 'vlog_roundlab_60s.ko.vtt');

/** A video as the media stage leaves it: source + captions under MEDIA_DIR, stage `transcript`. */
export async function insertFixtureVideo(opts: { title?: string; description?: string; captions?: boolean } = {}) {
  const db = getDb();
  const [row] = await db
    .insert(schema.videos)
    .values({
      sourceKind: 'upload',
      uploadHash: crypto.randomBytes(16).toString('hex'),
      title: opts.title ?? '아침 스킨케어 루틴 브이로그',
      description: opts.description ?? '제가 요즘 쓰는 스킨케어 제품들이에요. 내돈내산',
      stage: 'transcript',
      durationSeconds: 60,
    })
    .returning();
  const source = mediaPaths.source(row.id, 'mp4');
  fs.mkdirSync(path.dirname(source), { recursive: true });
  fs.copyFileSync(fixtureVideo(), source);
  let captionsPath: string | null = null;
  if (opts.captions !== false) {
    const captions = mediaPaths.captions(row.id, 'vtt');
    fs.copyFileSync(fixtureCaptions, captions);
    captionsPath = toStoredPath(captions);
  }
  await db.update(schema.videos).set({ mediaPath: toStoredPath(source), captionsPath }).where(eq(schema.videos.id, row.id));
  return row.id;
}

export async function waitForStage(videoId: number, stages: string[], timeoutMs = 240_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [v] = await getDb().select().from(schema.videos).where(eq(schema.videos.id, videoId));
    if (v && stages.includes(v.stage)) return v;
    if (Date.now() > until) throw new Error(`video ${videoId} still in ${v?.stage} (${v?.errorMessage ?? ''}) after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function candidatesOf(videoId: number) {
  return getDb().select().from(schema.candidates).where(eq(schema.candidates.videoId, videoId)).orderBy(schema.candidates.id);
}
