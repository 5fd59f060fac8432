import fs from 'node:fs/promises';
import { and, eq, inArray, notExists, sql } from 'drizzle-orm';
import { lockVideoCandidates, saveWindowCandidate, type SaveOutcome, type SourceInfo } from '@/src/server/candidates/pipeline/save-candidate';
import { getDb, schema, transaction } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { geminiConfigured } from '@/src/server/integrations/gemini/client';
import { log } from '@/src/server/logger';
import { resolveMediaPath } from '@/src/server/media/paths';
import { assessPaidPlacement } from '@/src/server/ppl';
import { enqueue } from '@/src/server/queue';
import { scoreCandidate } from '@/src/server/scoring';
import { getTranscript, segmentsWithin } from '@/src/server/transcripts';
import type { VideoRow } from '@/src/server/videos/repo';
import { clipSpan } from '@/src/server/visual';
import { findRecommendationWindowsWithLlm } from './llm-windows';
import { synthesizeCandidateWithLlm } from './llm-synthesis';
import { synthesizeCandidateByRules } from './rule-synthesis';
import { findRecommendationWindowsByRules } from './recommendation-episodes';
import type { Detection, OcrLine, RecommendationWindow } from './types';

const { windows, candidates, videos, channels, celebrities, visualFindings } = schema;
export type WindowRow = typeof windows.$inferSelect;

/**
 * Pass 1 (PRODUCT.md step 6): Gemini when configured, else the rule analyzer. Stores the windows by their natural key
 * (video, ordinal) — windows that already have candidates are kept, the others replaced — and moves the video to
 * `visual` (or `done` when there are none) in the same transaction as the `window.visual` jobs it causes.
 */
export async function findAndStoreWindows(video: VideoRow): Promise<{ windows: number; method: 'rule' | 'llm' }> {
  const transcript = await getTranscript(video.id);
  if (!transcript) throw new DomainError('bad_request', `Video ${video.id} has no transcript yet; retry the transcript stage.`);
  const found: RecommendationWindow[] = geminiConfigured()
    ? await findRecommendationWindowsWithLlm(transcript.segments, { videoId: video.id, title: video.title })
    : findRecommendationWindowsByRules(transcript.segments);
  const method = geminiConfigured() ? 'llm' : 'rule';
  await transaction(async (tx, client) => {
    const [locked] = await tx.select({ stage: videos.stage }).from(videos).where(eq(videos.id, video.id)).for('update');
    if (locked?.stage !== 'windows') return; // another delivery of this job got here first
    await tx
      .delete(windows)
      .where(
        and(
          eq(windows.videoId, video.id),
          notExists(tx.select({ one: sql`1` }).from(candidates).where(eq(candidates.windowId, windows.id))),
        ),
      );
    const kept = await tx.select().from(windows).where(eq(windows.videoId, video.id));
    const ids: number[] = [];
    for (const [i, w] of found.entries()) {
      const values = { videoId: video.id, ordinal: i + 1, start: w.start, end: w.end, reason: w.reason, confidence: w.confidence, signals: w.signals, method: w.method };
      const same = kept.find((k) => k.ordinal === i + 1);
      if (same) {
        await tx.update(windows).set({ ...values, visibleStart: null, visibleEnd: null, visualEvidence: null, stage: 'visual', error: null }).where(eq(windows.id, same.id));
        ids.push(same.id);
      } else {
        const [row] = await tx.insert(windows).values(values).returning({ id: windows.id });
        ids.push(row.id);
      }
    }
    const extra = kept.filter((k) => k.ordinal > found.length).map((k) => k.id);
    if (extra.length) await tx.update(windows).set({ stage: 'done' }).where(inArray(windows.id, extra));
    const to = ids.length || extra.length ? 'visual' : 'done';
    await tx
      .update(videos)
      .set({
        stage: to,
        progress: to === 'done' ? 1 : 0.4,
        timings: sql`${videos.timings} || jsonb_build_object('windows', round(extract(epoch from (now() - coalesce(${videos.stageStartedAt}, ${videos.createdAt})))::numeric, 2))`,
        stageStartedAt: new Date(),
      })
      .where(eq(videos.id, video.id));
    for (const id of ids) await enqueue('window.visual', { windowId: String(id) }, { client });
  });
  log.info({ videoId: video.id, windows: found.length, method }, 'recommendation windows stored');
  return { windows: found.length, method };
}

/** Re-sends the jobs of windows still waiting (a crash between commit and send, or a retried video.windows). */
export async function resumeWindows(videoId: number): Promise<number> {
  const rows = await getDb().select().from(windows).where(eq(windows.videoId, videoId));
  for (const w of rows) {
    if (w.stage === 'visual') await enqueue('window.visual', { windowId: String(w.id) });
    if (w.stage === 'synthesize') await enqueue('candidate.synthesize', { windowId: String(w.id) });
  }
  return rows.length;
}

export async function getWindow(id: number): Promise<WindowRow | undefined> {
  const [row] = await getDb().select().from(windows).where(eq(windows.id, id));
  return row;
}

export async function setWindowStage(id: number, from: WindowRow['stage'], to: WindowRow['stage']) {
  await getDb().update(windows).set({ stage: to, error: null }).where(and(eq(windows.id, id), eq(windows.stage, from)));
}

export async function failWindow(id: number, message: string) {
  await getDb().update(windows).set({ stage: 'failed', error: message.slice(0, 2000) }).where(eq(windows.id, id));
}

export async function sourceInfo(video: VideoRow): Promise<SourceInfo & { channelStats: { subscriberCount: number | null; videoCount: number | null; viewCount: number | null } | null; description: string }> {
  const db = getDb();
  const [channel] = video.channelId ? await db.select().from(channels).where(eq(channels.id, video.channelId)) : [];
  const celebrityId = video.celebrityId ?? channel?.celebrityId ?? null;
  const [celebrity] = celebrityId ? await db.select().from(celebrities).where(eq(celebrities.id, celebrityId)) : [];
  return {
    videoId: video.id,
    celebrityId,
    channelId: video.channelId,
    celebrityName: celebrity?.name ?? '',
    channelTitle: channel?.title ?? '',
    videoTitle: video.title,
    videoUrl: video.youtubeId ? `https://www.youtube.com/watch?v=${video.youtubeId}` : (video.sourceUrl ?? ''),
    videoPublishedAt: video.publishedAt,
    description: video.description,
    channelStats: channel ? { subscriberCount: channel.subscriberCount, videoCount: channel.videoCount, viewCount: channel.viewCount } : null,
  };
}

/**
 * Pass 2 + PPL + score for one window (PRODUCT.md steps 8, 9, 11 — the score comes before any Coupang search), then
 * the candidate is saved (one per video + product) and its monetization job sent, all in one transaction with the
 * window's move to `done`. A malformed LLM answer throws before anything is written: no partial candidate.
 */
export async function synthesizeWindow(win: WindowRow, video: VideoRow): Promise<SaveOutcome> {
  const transcript = await getTranscript(video.id);
  if (!transcript) throw new DomainError('bad_request', `Video ${video.id} has no transcript; retry the transcript stage.`);
  const segments = segmentsWithin(transcript.segments, win.start, win.end);
  const findings = await getDb().select().from(visualFindings).where(eq(visualFindings.windowId, win.id)).orderBy(visualFindings.t);
  const ocrLines: OcrLine[] = findings.flatMap((f) => f.ocrLines.map((l) => ({ text: l.text, confidence: l.confidence, engine: l.engine, t: f.t, box: l.box })));
  const detections: Detection[] = findings.flatMap((f) => f.detections.map((d) => ({ ...d, t: f.t })));
  const src = await sourceInfo(video);
  const speech = segments.map((s) => s.text).join(' ');

  let fields;
  let llmPpl: { isPpl: boolean; confidence: number; reason?: string } | undefined;
  let method: 'rule' | 'llm' = 'rule';
  if (geminiConfigured()) {
    const best = findings.filter((f) => f.framePath).sort((a, b) => Number(b.isBest) - Number(a.isBest)).slice(0, 3);
    const images = await Promise.all(best.map((f) => fs.readFile(resolveMediaPath(f.framePath!)).catch(() => null)));
    const out = await synthesizeCandidateWithLlm({
      videoId: video.id,
      video: { title: video.title, description: video.description, celebrityName: src.celebrityName, channelTitle: src.channelTitle },
      segments,
      ocrLines,
      detections,
      images: images.filter((b) => b !== null) as Buffer[],
    });
    fields = out.fields;
    llmPpl = { isPpl: out.ppl.is_ppl, confidence: out.ppl.confidence, reason: out.ppl.reason };
    method = 'llm';
  } else {
    fields = synthesizeCandidateByRules({ segments, ocrLines, detections, video: { title: video.title, description: video.description, celebrityName: src.celebrityName } });
  }

  const ppl = assessPaidPlacement({ title: video.title, description: video.description, speech, llm: llmPpl });
  return transaction(async (tx, client) => {
    await lockVideoCandidates(tx, video.id);
    // "no key update": a candidate's foreign-key check on this window (key share) must not wait for this lock.
    const [locked] = await tx.select({ stage: windows.stage }).from(windows).where(eq(windows.id, win.id)).for('no key update');
    if (locked?.stage !== 'synthesize') return { candidateId: null, outcome: 'none' as const };
    let saved: SaveOutcome = { candidateId: null, outcome: 'none' };
    if (fields) {
      const score = scoreCandidate({ speech, channel: src.channelStats, video: { viewCount: video.viewCount, likeCount: video.likeCount }, endorsementType: fields.endorsement_type });
      const best = findings.find((f) => f.isBest);
      saved = await saveWindowCandidate(tx, {
        source: src,
        // The clip: the speech window widened to the product's time on screen.
        window: { id: win.id, ordinal: win.ordinal, ...clipSpan(win), reason: win.reason, confidence: win.confidence },
        fields,
        method,
        ppl,
        score,
        evidence: {
          transcriptSpan: segments.map((s) => ({ start: s.start, end: s.end, text: s.text })),
          frameTimestamps: findings.map((f) => f.t),
          ocrLines: [...new Set(ocrLines.map((l) => l.text))],
          detections: [...new Set(detections.map((d) => d.label))],
          cropPath: best?.cropPath ?? findings.find((f) => f.cropPath)?.cropPath ?? null,
          framePaths: findings.map((f) => f.framePath).filter((p): p is string => !!p),
          productVisible: win.visibleStart != null && win.visibleEnd != null ? { start: win.visibleStart, end: win.visibleEnd } : null,
          visual: win.visualEvidence ? { source: win.visualEvidence.source, note: win.visualEvidence.note } : null,
        },
      });
      if (saved.candidateId && saved.outcome !== 'merged') {
        await enqueue('candidate.monetize', { candidateId: String(saved.candidateId) }, { client, priority: score.total });
      } else if (saved.candidateId) {
        // more praise for a known product: rescore it (its speech now includes this window)
        await enqueue('candidate.score', { candidateId: String(saved.candidateId) }, { client });
      }
    } else log.info({ windowId: win.id }, 'synthesis: not a product recommendation; no candidate');
    await tx.update(windows).set({ stage: 'done', error: null }).where(eq(windows.id, win.id));
    return saved;
  });
}

export async function windowsOfVideo(videoId: number) {
  return getDb().select().from(windows).where(eq(windows.videoId, videoId)).orderBy(windows.ordinal);
}


