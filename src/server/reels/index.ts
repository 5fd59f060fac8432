import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { COUPANG_DISCLOSURE } from '@/src/server/analysis/synthesis-copy';
import type { Actor } from '@/src/server/auth/actor';
import { effectiveProductName } from '@/src/server/product-name';
import { DomainError, errorMessage, notFound } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { mediaPaths, resolveMediaPath, toStoredPath } from '@/src/server/media/paths';
import { startJob } from '@/src/server/queue';
import { productBox } from '@/src/server/visual';
import { reelInputKey, type BoxAt, type ReelInputs } from './plan';
import { renderReel } from './render';
import * as repo from './repo';
import type { ReelBlocker, ReelDto } from './schemas';

/**
 * Reel drafts (issue 16): a vertical 1080×1920 MP4 of an approved candidate's clip, rendered by the candidate.reel
 * job from the stored media. One row per candidate (candidate_reels) holds the latest draft's state; the draft is
 * current while the hash of what it shows (plan.ts reelInputKey) matches the candidate as it is now.
 */

const REEL_STATUSES_OK = ['approved', 'published'];

const parseId = (id: string | number) => {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0) throw new DomainError('bad_request', `Candidate id must be a positive integer, not ${String(id)}.`, 'id');
  return n;
};

type Source = NonNullable<Awaited<ReturnType<typeof repo.loadReelSource>>>;

/** Why no draft can be rendered now, in words the operator and an API client can act on; null when one can. */
export function reelBlocker(src: Source): ReelBlocker | null {
  const { candidate: c, video: v } = src;
  if (!REEL_STATUSES_OK.includes(c.currentStatus)) {
    return { code: 'not_approved', message: `Only approved candidates get a Reel draft; candidate ${c.id} is ${c.currentStatus}. Approve it first.` };
  }
  if (!v.mediaPath) {
    const why =
      v.errorCode === 'media_unavailable' || v.errorCode === 'invalid_media'
        ? `the video's media could not be downloaded (${v.errorMessage ?? v.errorCode})`
        : v.sourceKind === 'youtube'
          ? 'the video was analysed without downloading its media (no yt-dlp on the server, or the download failed)'
          : 'the video has no stored media file';
    return { code: 'no_media', message: `No Reel draft: ${why}. A draft is cut from the stored video file; retry the video's media step or upload the file.` };
  }
  return null;
}

/** Everything the draft shows, read from the candidate as it is now. */
async function reelInputs(src: Source): Promise<ReelInputs> {
  const { candidate: c, video: v } = src;
  const [segments, findings] = await Promise.all([
    repo.transcriptSegments(v.id),
    repo.findingsBetween(v.id, c.clipStartTime - 0.5, c.clipEndTime + 0.5),
  ]);
  const boxes: BoxAt[] = [];
  for (const f of findings) {
    const box = productBox(f);
    if (box) boxes.push({ t: f.t, box });
  }
  const framePath = findings.find((f) => f.framePath)?.framePath;
  const frameWidth = framePath ? await sharp(resolveMediaPath(framePath)).metadata().then((m) => m.width ?? null, () => null) : null;
  return {
    productName: effectiveProductName(c),
    celebrityName: c.celebrityName,
    clipStart: c.clipStartTime,
    clipEnd: c.clipEndTime,
    mediaPath: v.mediaPath ?? '',
    segments: segments.filter((s) => s.end > c.clipStartTime && s.start < c.clipEndTime),
    boxes,
    boxesFrameWidth: frameWidth,
    disclosure: COUPANG_DISCLOSURE,
  };
}

function toDto(row: repo.ReelRow | null, currentKey: string | null, blocker: ReelBlocker | null): ReelDto {
  const fileThere = !!row?.path && fs.existsSync(resolveMediaPath(row.path));
  const ready = row?.status === 'ready' && fileThere;
  return {
    status: row ? (row.status === 'ready' && !fileThere ? 'failed' : row.status) : null,
    url: ready ? `/api/media/${row!.path}` : null,
    download_url: ready ? `/api/media/${row!.path}?download=1` : null,
    width: ready ? row!.width : null,
    height: ready ? row!.height : null,
    durationSec: ready ? row!.durationSec : null,
    version: row?.version ?? null,
    current: !!row && currentKey !== null && row.inputKey === currentKey,
    ...(row?.status === 'failed' || (row?.status === 'ready' && !fileThere) ? { error: row.error ?? 'The draft file is missing; render it again.' } : {}),
    blocked: blocker,
  };
}

/** `GET /api/v1/candidates/:id/reel`: the draft's state, whether it shows the candidate as it is now, and why none can be made. */
export async function getReel(id: string | number): Promise<ReelDto> {
  const n = parseId(id);
  const src = await repo.loadReelSource(n);
  if (!src) throw notFound(`Candidate ${n}`);
  const blocker = reelBlocker(src);
  const key = src.video.mediaPath ? reelInputKey(await reelInputs(src)) : null;
  return toDto(await repo.reelOf(n), key, blocker);
}

/**
 * `POST /api/v1/candidates/:id/reel`: queues a draft of the candidate as it is now. `queued: false` when the current
 * version's draft is ready (nothing to do) or already queued or rendering. Refused (409) when the candidate is not
 * approved or its video has no stored media, saying which.
 */
export async function requestReel(id: string | number, who: Pick<Actor, 'userId'>): Promise<{ queued: boolean; reel: ReelDto }> {
  const n = parseId(id);
  const src = await repo.loadReelSource(n);
  if (!src) throw notFound(`Candidate ${n}`);
  const blocker = reelBlocker(src);
  if (blocker) throw new DomainError('conflict', blocker.message);
  const key = reelInputKey(await reelInputs(src));
  const existing = await repo.reelOf(n);
  const current = toDto(existing, key, null);
  if (existing && existing.inputKey === key && (current.url || existing.status === 'queued' || existing.status === 'rendering')) {
    return { queued: existing.status !== 'ready', reel: current };
  }
  await repo.markQueued(n, src.candidate.version, key, who.userId);
  await startJob('candidate.reel', { candidateId: String(n) });
  log.info({ candidateId: n, version: src.candidate.version }, 'reel draft queued');
  return { queued: true, reel: toDto(await repo.reelOf(n), key, null) };
}

/**
 * After an approval: queue the draft when the video's media is stored (the operator finds it ready on the candidate
 * page). Never fails the approval: a draft that cannot be queued is logged and can be asked for on the page.
 */
export async function queueReelAfterApproval(candidateId: number, who: Pick<Actor, 'userId'>): Promise<void> {
  try {
    const src = await repo.loadReelSource(candidateId);
    if (!src || reelBlocker(src)) return;
    await requestReel(candidateId, who);
  } catch (e) {
    log.warn({ candidateId, err: errorMessage(e) }, 'reel draft not queued after approval');
  }
}

/**
 * The candidate.reel step: renders the candidate as it is now, unless that draft is already on disk (a rerun does
 * nothing). A candidate no longer approved or without media is skipped with a log line and its row says why.
 */
export async function renderReelStep(candidateId: number): Promise<void> {
  const src = await repo.loadReelSource(candidateId);
  if (!src) return log.info({ candidateId }, 'reel: candidate gone; nothing to do');
  const blocker = reelBlocker(src);
  if (blocker) {
    if (await repo.reelOf(candidateId)) await repo.markFailed(candidateId, blocker.message);
    return log.info({ candidateId, reason: blocker.code }, 'reel: skipped');
  }
  const inputs = await reelInputs(src);
  const key = reelInputKey(inputs);
  const existing = await repo.reelOf(candidateId);
  if (existing?.status === 'ready' && existing.inputKey === key && existing.path && fs.existsSync(resolveMediaPath(existing.path))) {
    return log.info({ candidateId }, 'reel: the current draft exists; nothing to do');
  }
  const { candidate: c, video: v } = src;
  await repo.markRendering(candidateId, c.version, key);
  const out = mediaPaths.reel(v.id, candidateId, c.version);
  const work = path.join(mediaPaths.tmp(v.id), `reel-c${candidateId}`);
  try {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const file = await renderReel(resolveMediaPath(v.mediaPath!), inputs, out, work);
    const stored = toStoredPath(out);
    if (await repo.markReady(candidateId, key, { path: stored, ...file })) removeOtherDrafts(v.id, candidateId, out);
    log.info({ candidateId, version: c.version, ...file }, 'reel draft rendered');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** One file per candidate version, and only the current one kept. */
function removeOtherDrafts(videoId: number, candidateId: number, keep: string) {
  const dir = mediaPaths.reelsDir(videoId);
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const file = path.join(dir, name);
    if (name.startsWith(`c${candidateId}-v`) && file !== keep) fs.rmSync(file, { force: true });
  }
}

/** The job gave up: the draft's row says why (the page and the API show it). */
export async function failReel(candidateId: number, err: unknown): Promise<void> {
  await repo.markFailed(candidateId, errorMessage(err));
}

export type { ReelDto, ReelBlocker } from './schemas';
