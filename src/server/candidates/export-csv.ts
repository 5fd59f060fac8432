import { getConfig } from '@/src/server/config';
import { getDb, type Executor } from '@/src/server/db';
import { listCandidates } from './list';
import type { CandidateDto, ListCandidatesQuery } from './schemas';

/**
 * CSV export of a console view: every candidate of the tab and filters (not only the page), in the view's sort order,
 * as RFC 4180 CSV in UTF-8 with a byte-order mark so that Excel opens Korean text correctly. Headers are Korean, like
 * the Sheets export. Read in keyset pages, so memory stays flat for 100k rows.
 */
export const CSV_BOM = '\uFEFF';
const PAGE = 500;

const STATUS_LABELS: Record<string, string> = {
  needs_review: '검토 대기',
  filtered_no_coupang: '쿠팡 미매칭',
  high_ppl_risk: 'PPL 의심',
  low_score_filtered: '낮은 점수',
  under_revision: '수정 중',
  approved: '승인됨',
  published: '업로드 완료',
  rejected: '반려',
  archived: '보관',
};

const COLUMNS: [header: string, value: (c: CandidateDto, ctx: { tz: string; base: string }) => string | number | null][] = [
  ['후보 ID', (c) => c.id],
  ['상태', (c) => STATUS_LABELS[c.status_info.current_status] ?? c.status_info.current_status],
  ['제품명', (c) => c.candidate_info.product_name],
  ['AI 제품명', (c) => c.candidate_info.product_name_ai],
  ['점수', (c) => c.candidate_info.score_details.total],
  ['유명인', (c) => c.source_info.celebrity_name],
  ['채널', (c) => c.source_info.channel_name],
  ['영상 제목', (c) => c.source_info.video_title],
  ['영상 주소', (c) => c.source_info.video_url],
  ['업로드일', (c, x) => day(c.source_info.upload_date, x.tz)],
  ['카테고리', (c) => c.candidate_info.category_path],
  ['PPL', (c) => (c.status_info.is_ppl ? '예' : '아니오')],
  ['PPL 확률', (c) => Math.round(c.status_info.ppl_confidence * 1000) / 1000],
  ['쿠팡 링크', (c) => c.monetization_info.coupang_url],
  ['쿠팡 상품', (c) => c.monetization_info.matched_product?.name ?? null],
  ['클립 시작(초)', (c) => c.candidate_info.clip_start_time],
  ['클립 끝(초)', (c) => c.candidate_info.clip_end_time],
  ['훅 문장', (c) => c.candidate_info.hook_sentence],
  ['캡션', (c) => c.candidate_info.summary_for_caption],
  ['추천 제목', (c) => c.candidate_info.recommended_titles.join(' / ')],
  ['해시태그', (c) => c.candidate_info.recommended_hashtags.join(' ')],
  ['분석 방식', (c) => (c.candidate_info.analysis_method === 'llm' ? 'LLM' : '규칙 기반')],
  ['데모', (c) => (c.isDemo ? '예' : '')],
  ['등록일', (c, x) => day(c.status_info.created_at, x.tz)],
  ['후보 화면', (c, x) => `${x.base}/candidates/${c.id}`],
];

function day(iso: string | null, tz: string): string {
  if (!iso) return '';
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(iso)).map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

/**
 * One CSV field. Text that a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading
 * apostrophe; fields with a comma, quote or line break are quoted, quotes doubled.
 */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvRow = (values: (string | number | null)[]) => `${values.map(csvField).join(',')}\r\n`;

/** The CSV of a view, in chunks (BOM and header first, then a chunk per page of rows). */
export async function* candidateCsvChunks(q: ListCandidatesQuery, db: Executor = getDb()): AsyncGenerator<string> {
  const cfg = getConfig();
  const ctx = { tz: cfg.TZ, base: cfg.APP_BASE_URL };
  yield CSV_BOM + csvRow(COLUMNS.map(([h]) => h));
  let cursor: string | undefined;
  do {
    const page = await listCandidates({ ...q, cursor, limit: PAGE, counts: undefined }, db);
    if (page.items.length) yield page.items.map((c) => csvRow(COLUMNS.map(([, value]) => value(c, ctx)))).join('');
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** `후보-<tab>-YYYYMMDD.csv`, ASCII-safe as `candidates-<tab>-YYYYMMDD.csv` for old clients. */
export function candidateCsvFilename(q: ListCandidatesQuery, at = new Date()): { ascii: string; utf8: string } {
  const date = day(at.toISOString(), getConfig().TZ).replace(/-/g, '');
  return { ascii: `candidates-${q.tab}-${date}.csv`, utf8: `후보-${q.tab}-${date}.csv` };
}
