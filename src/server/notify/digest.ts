import { asc, eq } from 'drizzle-orm';
import { getConfig } from '@/src/server/config';
import { getDb, schema } from '@/src/server/db';
import { notFound } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { postSlackMessage, slackEscape, slackLink } from '@/src/server/integrations/slack/client';
import { announcedCandidateIds, recordNotification } from './log';

const statusLabel: Record<string, string> = {
  needs_review: '검토 필요',
  approved: '승인',
  rejected: '반려',
  under_revision: '수정 중',
  published: '게시',
  filtered_no_coupang: '쿠팡 없음',
  high_ppl_risk: 'PPL 위험',
  low_score_filtered: '낮은 점수',
  archived: '보관',
};

export type DigestResult = { sent: boolean; candidates: number; reason?: string };

/**
 * After a video finished analysis: one Slack message with the video, the celebrity and each candidate not announced
 * before (score, status, link into the console). Running it again sends nothing new.
 */
export async function sendVideoDigest(videoId: number): Promise<DigestResult> {
  const db = getDb();
  const [video] = await db.select().from(schema.videos).where(eq(schema.videos.id, videoId));
  if (!video) throw notFound(`video ${videoId}`);
  const all = await db
    .select()
    .from(schema.candidates)
    .where(eq(schema.candidates.videoId, videoId))
    .orderBy(asc(schema.candidates.id));
  const announced = await announcedCandidateIds(videoId);
  const fresh = all.filter((c) => !announced.has(c.id)).sort((a, b) => b.scoreTotal - a.scoreTotal);
  if (fresh.length === 0) {
    log.info({ videoId }, 'digest: no new candidates');
    return { sent: false, candidates: 0, reason: 'no_new_candidates' };
  }
  const base = getConfig().APP_BASE_URL;
  let celebrity = fresh[0].celebrityName;
  if (!celebrity && video.celebrityId) {
    const [c] = await db.select().from(schema.celebrities).where(eq(schema.celebrities.id, video.celebrityId));
    celebrity = c?.name ?? '';
  }
  const title = video.title || video.sourceUrl || video.youtubeId || `video ${videoId}`;
  const videoLink = slackLink(`${base}/videos/${videoId}`, title);
  const lines = fresh.slice(0, 20).map((c) => {
    const name = c.productNameManual || c.productNameAi;
    const ppl = c.isPpl ? ' · PPL 의심' : '';
    return `• ${slackLink(`${base}/candidates/${c.id}`, name)} — 점수 ${c.scoreTotal} · ${statusLabel[c.currentStatus] ?? c.currentStatus}${ppl}`;
  });
  if (fresh.length > 20) lines.push(`…외 ${fresh.length - 20}개 (${slackLink(`${base}/?videoId=${videoId}`, '콘솔에서 보기')})`);
  const header = `새 후보 ${fresh.length}개 — ${celebrity ? `${slackEscape(celebrity)} · ` : ''}${videoLink}`;
  const text = `${header}\n${lines.join('\n')}`;
  const result = await postSlackMessage(
    { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 2900) } }] },
    { operation: 'digest', videoId },
  );
  if (!result.sent) {
    log.info({ videoId, reason: result.reason }, 'digest not sent');
    return { sent: false, candidates: fresh.length, reason: result.reason };
  }
  await recordNotification('notify.digest', `video:${videoId}`, { candidateIds: fresh.map((c) => c.id) });
  log.info({ videoId, candidates: fresh.length }, 'digest sent');
  return { sent: true, candidates: fresh.length };
}
