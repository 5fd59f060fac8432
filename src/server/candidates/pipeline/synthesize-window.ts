import fs from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { candidateFromAnswer, synthesisRequest } from '@/src/server/analysis/llm-synthesis';
import { synthesizeCandidateByRules } from '@/src/server/analysis/rule-synthesis';
import type { Detection, OcrLine } from '@/src/server/analysis/types';
import { getDb, schema, transaction } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { generateStructured, geminiConfigured, LlmOutputError } from '@/src/server/integrations/gemini/client';
import { log } from '@/src/server/logger';
import { resolveMediaPath } from '@/src/server/media/paths';
import { assessPaidPlacement } from '@/src/server/ppl';
import { sendNext } from '@/src/server/queue';
import { scoreCandidate } from '@/src/server/scoring';
import { getTranscript, segmentsWithin } from '@/src/server/transcripts';
import { findVideo, type VideoRow } from '@/src/server/videos/repo';
import { failVideo, syncVideoStage } from '@/src/server/videos/stage';
import { clipSpan } from '@/src/server/visual';
import { failWindow, getWindow, type WindowRow } from '@/src/server/windows';
import { lockVideoCandidates, saveWindowCandidate, type SaveOutcome, type SourceInfo } from './save-candidate';

const { windows, channels, celebrities, visualFindings } = schema;

/**
 * The candidate.synthesize step for one window: pass 2, PPL and score, then the candidate saved and its next job
 * sent (synthesizeWindow). A malformed LLM answer fails the window and the video with the reason; nothing is
 * written for the window.
 */
export async function synthesizeWindowCandidate(windowId: number): Promise<void> {
  const win = await getWindow(windowId);
  if (!win) return log.info({ windowId }, 'candidate.synthesize: window no longer exists');
  if (win.stage !== 'synthesize') return log.info({ windowId, stage: win.stage }, 'candidate.synthesize: nothing to do');
  const video = await findVideo(win.videoId);
  if (!video) return;
  try {
    const saved = await synthesizeWindow(win, video);
    log.info({ windowId, videoId: win.videoId, ...saved }, 'window synthesized');
  } catch (err) {
    if (!(err instanceof LlmOutputError)) throw err;
    await failWindow(win.id, err.message);
    await failVideo(win.videoId, 'synthesize', 'upstream_failed', `Candidate synthesis of window ${win.ordinal} failed: ${err.message}. Retry the video.`);
    return;
  }
  await syncVideoStage(win.videoId, 'candidate.synthesize');
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
    const out = candidateFromAnswer(await generateStructured(synthesisRequest({
      videoId: video.id,
      video: { title: video.title, description: video.description, celebrityName: src.celebrityName, channelTitle: src.channelTitle },
      segments,
      ocrLines,
      detections,
      images: images.filter((b) => b !== null) as Buffer[],
    })));
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
        await sendNext('candidate.synthesize', 'candidate.monetize', { candidateId: String(saved.candidateId) }, { client, priority: score.total });
      } else if (saved.candidateId) {
        // more praise for a known product: rescore it (its speech now includes this window)
        await sendNext('candidate.synthesize', 'candidate.score', { candidateId: String(saved.candidateId) }, { client });
      }
    } else log.info({ windowId: win.id }, 'synthesis: not a product recommendation; no candidate');
    await tx.update(windows).set({ stage: 'done', error: null }).where(eq(windows.id, win.id));
    return saved;
  });
}

