import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { now } from '@/src/server/clock';
import { getDb } from '@/src/server/db';
import { log } from '@/src/server/logger';
import { mediaRoot, toStoredPath, uploadTmpDir } from '@/src/server/media/paths';
import { getSetting } from '@/src/server/settings';

/**
 * Media retention (설정 → retention): for videos whose analysis has ended (done, failed, skipped), removes extracted
 * audio, source media and temp files older than `audioDays`, and frames/crops older than `frameDays` — except any
 * frame or crop an open candidate shows (every status but rejected/archived). Videos still being analysed are left
 * alone. Half-written files a crash left behind (`*.part…`, interrupted uploads) go after a day. Idempotent.
 */
export type CleanupResult = { removedFiles: number; removedBytes: number; keptForCandidates: number };

const ENDED = new Set(['done', 'failed', 'skipped']);
/** No download, upload or write lasts this long: a partial file this old was abandoned by a crash. */
const STALE_PARTIAL_MS = 86400_000;
const isPartial = (file: string) => /\.part(ial)?([.-]|$)/.test(path.basename(file));

async function protectedPaths(): Promise<Set<string>> {
  const r = await getDb().execute<{ p: string | null }>(sql`
    SELECT evidence->>'cropPath' AS p FROM candidates WHERE current_status NOT IN ('rejected', 'archived')
    UNION SELECT jsonb_array_elements_text(coalesce(evidence->'framePaths', '[]'::jsonb)) FROM candidates
      WHERE current_status NOT IN ('rejected', 'archived')
    UNION SELECT f.frame_path FROM visual_findings f JOIN candidates c ON c.window_id = f.window_id
      WHERE c.current_status NOT IN ('rejected', 'archived')
    UNION SELECT f.crop_path FROM visual_findings f JOIN candidates c ON c.window_id = f.window_id
      WHERE c.current_status NOT IN ('rejected', 'archived')`);
  return new Set(r.rows.map((x) => x.p).filter((p): p is string => !!p).map((p) => path.normalize(p)));
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

export async function cleanMedia(): Promise<CleanupResult> {
  const policy = await getSetting('retention');
  const root = mediaRoot();
  const result: CleanupResult = { removedFiles: 0, removedBytes: 0, keptForCandidates: 0 };
  if (!fs.existsSync(root)) return result;
  const stages = new Map(
    (await getDb().execute<{ id: number; stage: string }>(sql`SELECT id, stage FROM videos`)).rows.map((v) => [String(v.id), v.stage]),
  );
  const keep = await protectedPaths();
  const t = now().getTime();
  const frameCutoff = t - policy.frameDays * 86400_000;
  const audioCutoff = t - policy.audioDays * 86400_000;
  const removed: string[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const stage = stages.get(entry.name);
    // Unknown folders (video deleted) count as ended; running analyses are never touched.
    if (stage && !ENDED.has(stage)) continue;
    const dir = path.join(root, entry.name);
    for (const file of filesUnder(dir)) {
      const rel = toStoredPath(file);
      const parts = rel.split(path.sep);
      const kind = parts[1];
      const isVisual = kind === 'frames' || kind === 'crops';
      const cutoff = isVisual ? frameCutoff : audioCutoff;
      const isAudioLike = kind === 'tmp' || kind === 'speech' || /^(audio\.wav|source\.[^/]+)$/.test(parts.slice(1).join('/'));
      const partial = isPartial(file);
      if (!isVisual && !isAudioLike && !partial) continue;
      const st = fs.statSync(file);
      if (st.mtimeMs >= (partial ? Math.max(cutoff, t - STALE_PARTIAL_MS) : cutoff)) continue;
      if (isVisual && keep.has(path.normalize(rel))) {
        result.keptForCandidates++;
        continue;
      }
      fs.rmSync(file, { force: true });
      removed.push(rel);
      result.removedFiles++;
      result.removedBytes += st.size;
    }
  }
  // Uploads cut short (the upload folder holds nothing else for long).
  for (const file of filesUnder(uploadTmpDir())) {
    const st = fs.statSync(file);
    if (st.mtimeMs >= t - STALE_PARTIAL_MS) continue;
    fs.rmSync(file, { force: true });
    result.removedFiles++;
    result.removedBytes += st.size;
  }
  if (removed.length) {
    // Findings whose images are gone no longer point at them.
    await getDb().execute(sql`UPDATE visual_findings SET frame_path = NULL WHERE frame_path IN (${sql.join(removed.map((r) => sql`${r}`), sql`, `)})`);
    await getDb().execute(sql`UPDATE visual_findings SET crop_path = NULL WHERE crop_path IN (${sql.join(removed.map((r) => sql`${r}`), sql`, `)})`);
  }
  log.info({ ...result, frameDays: policy.frameDays, audioDays: policy.audioDays }, 'media retention ran');
  return result;
}
