/**
 * Sheet layouts: how the import recognises columns by header name, and the headers the export writes. Headers are
 * matched loosely (case, spaces, _ and - ignored), so "Channel ID", "channel_id" and "채널 ID" are one column.
 */
export function normalizeHeader(h: string): string {
  return h.toLowerCase().replace(/[\s_\-().:]/g, '');
}

const IMPORT_ALIASES = {
  channelId: ['channelid', 'youtubechannelid', 'ucid', '채널id', '채널아이디', '유튜브채널id'],
  url: ['url', 'channelurl', 'link', '채널주소', '채널url', '주소', '링크'],
  handle: ['handle', '핸들', '채널핸들'],
  name: ['name', 'title', 'channelname', 'channeltitle', '채널명', '채널이름', '이름'],
  kind: ['kind', 'type', 'channeltype', '유형', '종류', '채널유형'],
  celebrity: ['celebrity', 'celebrityname', 'star', '유명인', '연예인', '셀럽', '인물'],
  aliases: ['aliases', 'alias', '별칭', '별명', '다른이름'],
  status: ['active', 'status', 'enabled', '상태', '활성', '사용'],
} as const;

export type ImportField = keyof typeof IMPORT_ALIASES;
export type ImportColumns = Partial<Record<ImportField, number>>;

/** Header row → column index per field (first matching column wins). */
export function mapImportHeader(header: string[]): ImportColumns {
  const out: ImportColumns = {};
  header.forEach((raw, i) => {
    const h = normalizeHeader(raw ?? '');
    if (!h) return;
    for (const [field, aliases] of Object.entries(IMPORT_ALIASES) as [ImportField, readonly string[]][]) {
      if (out[field] === undefined && aliases.includes(h)) out[field] = i;
    }
  });
  return out;
}

export type ImportRow = {
  /** 1-based row number in the sheet, for messages. */
  row: number;
  input: string | null;
  name: string;
  kind: 'celebrity' | 'media';
  celebrity: string | null;
  aliases: string[];
  status: 'active' | 'candidate' | 'excluded';
};

const KIND_WORDS: Record<string, 'celebrity' | 'media'> = {
  celebrity: 'celebrity',
  유명인: 'celebrity',
  연예인: 'celebrity',
  셀럽: 'celebrity',
  본인: 'celebrity',
  개인: 'celebrity',
  media: 'media',
  미디어: 'media',
  매체: 'media',
  방송: 'media',
};

function statusOf(v: string): ImportRow['status'] | null {
  const s = normalizeHeader(v);
  if (!s) return 'active';
  if (['true', '1', 'yes', 'y', 'o', 'active', '활성', '사용', '예', 'on'].includes(s)) return 'active';
  if (['false', '0', 'no', 'n', 'x', 'inactive', 'excluded', '비활성', '제외', '미사용', '아니오', 'off'].includes(s)) return 'excluded';
  if (['candidate', '후보', '검토'].includes(s)) return 'candidate';
  return null;
}

/**
 * One data row → what to import, or a reason it cannot be. The channel is named by its UC… id, URL or @handle (first
 * present); kind comes from the kind column, else "celebrity" when a celebrity is named, else "media".
 */
export function readImportRow(cells: string[], cols: ImportColumns, row: number): ImportRow | { row: number; skip: string } {
  const get = (f: ImportField) => (cols[f] === undefined ? '' : (cells[cols[f]!] ?? '').trim());
  const input = get('channelId') || get('url') || get('handle') || null;
  if (!input) return { row, skip: 'no channel id, URL or handle' };
  const celebrity = get('celebrity') || null;
  const kindRaw = normalizeHeader(get('kind'));
  const kind = kindRaw ? KIND_WORDS[kindRaw] : celebrity ? 'celebrity' : 'media';
  if (!kind) return { row, skip: `unknown channel kind "${get('kind')}" (use celebrity/유명인 or media/미디어)` };
  if (kind === 'celebrity' && !celebrity) return { row, skip: 'a celebrity channel needs the celebrity column filled' };
  const status = statusOf(get('status'));
  if (!status) return { row, skip: `unknown status "${get('status')}" (use TRUE/FALSE, active/excluded or 활성/제외)` };
  const aliases = get('aliases')
    .split(/[,/|·]/)
    .map((a) => a.trim())
    .filter(Boolean);
  return { row, input, name: get('name'), kind, celebrity, aliases, status };
}

/** Export layouts; the first column is the key the rows are updated by. */
export const CHANNEL_EXPORT_HEADER = ['채널 ID', '핸들', '채널명', '유형', '유명인', '상태', '마지막 수집 성공', '마지막 오류', '연속 실패', '채널 주소'] as const;
export const CANDIDATE_EXPORT_HEADER = [
  '후보 ID',
  '상태',
  '유명인',
  '채널',
  '영상 제목',
  '영상 주소',
  '업로드일',
  '제품명',
  '카테고리',
  '클립 시작(초)',
  '클립 끝(초)',
  '점수',
  '쿠팡 링크',
  'PPL 확률',
  '후킹 문장',
  '캡션',
  '추천 제목',
  '해시태그',
  '업로드 완료일',
] as const;

export const STATUS_LABELS: Record<string, string> = {
  active: '활성',
  candidate: '후보',
  excluded: '제외',
  approved: '승인됨',
  published: '업로드 완료',
  needs_review: '검토 필요',
  rejected: '반려',
  archived: '보관',
  under_revision: '수정 중',
  filtered_no_coupang: '수익화 필터링',
  high_ppl_risk: 'PPL 의심',
  low_score_filtered: '낮은 점수',
};
