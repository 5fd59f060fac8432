import { eq, inArray, or } from 'drizzle-orm';
import { getDb, schema } from '@/src/server/db';
import type { SheetsClient } from '@/src/server/integrations/sheets/client';
import { a1 } from '@/src/server/integrations/sheets/client';
import { CANDIDATE_EXPORT_HEADER, CHANNEL_EXPORT_HEADER, STATUS_LABELS, normalizeHeader } from './columns';
import { upsertKeyedRows, type KeyedRow, type UpsertResult } from './keyed-rows';

const { channels, celebrities, candidates } = schema;

const iso = (d: Date | null) => (d ? d.toISOString() : '');
const num = (n: number | null | undefined, digits = 2) => (n === null || n === undefined ? '' : Number(n.toFixed(digits)));

/** Every registered channel, one row per YouTube channel id. */
export async function exportChannels(client: SheetsClient, sheet: string): Promise<UpsertResult> {
  const rows = await getDb()
    .select({ c: channels, celebrity: celebrities.name })
    .from(channels)
    .leftJoin(celebrities, eq(channels.celebrityId, celebrities.id))
    .orderBy(channels.id);
  const out: KeyedRow[] = rows.map(({ c, celebrity }) => ({
    '채널 ID': c.youtubeChannelId,
    핸들: c.handle ?? '',
    채널명: c.title,
    유형: c.kind === 'celebrity' ? '유명인' : '미디어',
    유명인: celebrity ?? '',
    상태: STATUS_LABELS[c.status] ?? c.status,
    '마지막 수집 성공': iso(c.feedLastSuccessAt),
    '마지막 오류': c.feedLastError ?? '',
    '연속 실패': c.feedConsecutiveFailures,
    '채널 주소': `https://www.youtube.com/channel/${c.youtubeChannelId}`,
  }));
  return upsertKeyedRows(client, sheet, CHANNEL_EXPORT_HEADER, out);
}

/** Candidate ids already in the tab, so a candidate that left approved/published gets its status updated there. */
async function idsInSheet(client: SheetsClient, sheet: string): Promise<number[]> {
  const titles = await client.sheetTitles();
  if (!titles.includes(sheet)) return [];
  const values = await client.getValues(a1(sheet, 'A1:ZZ'));
  const keyCol = (values[0] ?? []).findIndex((h) => normalizeHeader(h) === normalizeHeader(CANDIDATE_EXPORT_HEADER[0]));
  if (keyCol < 0) return [];
  return values
    .slice(1)
    .map((r) => (r[keyCol] ?? '').trim())
    .filter((v) => /^\d+$/.test(v))
    .map(Number);
}

/** Approved and published candidates, one row per candidate id, updated in place. */
export async function exportCandidates(client: SheetsClient, sheet: string): Promise<UpsertResult> {
  const known = await idsInSheet(client, sheet);
  const statusFilter = inArray(candidates.currentStatus, ['approved', 'published']);
  const rows = await getDb()
    .select()
    .from(candidates)
    .where(known.length ? or(statusFilter, inArray(candidates.id, known)) : statusFilter)
    .orderBy(candidates.id);
  const out: KeyedRow[] = rows.map((c) => ({
    '후보 ID': String(c.id),
    상태: STATUS_LABELS[c.currentStatus] ?? c.currentStatus,
    유명인: c.celebrityName,
    채널: c.channelTitle,
    '영상 제목': c.videoTitle,
    '영상 주소': c.videoUrl,
    업로드일: iso(c.videoPublishedAt).slice(0, 10),
    제품명: c.productNameManual ?? c.productNameAi,
    카테고리: c.categoryPath ?? '',
    '클립 시작(초)': num(c.clipStartTime, 1),
    '클립 끝(초)': num(c.clipEndTime, 1),
    점수: c.scoreTotal,
    '쿠팡 링크': c.coupangUrlManual ?? c.coupangUrlAi ?? '',
    'PPL 확률': num(c.pplConfidence),
    '후킹 문장': c.hookSentence ?? '',
    캡션: c.summaryForCaption ?? '',
    '추천 제목': c.recommendedTitles.join(' / '),
    해시태그: c.recommendedHashtags.join(' '),
    '업로드 완료일': iso(c.publishedAt),
  }));
  return upsertKeyedRows(client, sheet, CANDIDATE_EXPORT_HEADER, out);
}
