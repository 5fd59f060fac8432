import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { getDb, schema, type Executor } from '@/src/server/db';
import { DomainError, notFound } from '@/src/server/errors';
import { decodeCursor, encodeCursor, type Cursor } from './cursor';
import { toCandidateDto, type CandidateRow, type VideoBits } from './dto';
import {
  candidateTabNames,
  candidateTabs,
  type CandidateDto,
  type CandidateFilters,
  type CandidateListResponse,
  type CandidateSort,
  type CandidateTab,
  type ListCandidatesQuery,
} from './schemas';

const { candidates, videos } = schema;

/** Sort key → column, its SQL type (to cast cursor values back) and whether it may be null. */
const sortColumns: Record<CandidateSort, { col: string; type: string; nullable: boolean }> = {
  score: { col: 'score_total', type: 'integer', nullable: false },
  created: { col: 'created_at', type: 'timestamptz', nullable: false },
  upload_date: { col: 'video_published_at', type: 'timestamptz', nullable: true },
  channel: { col: 'channel_title', type: 'text', nullable: false },
  celebrity: { col: 'celebrity_name', type: 'text', nullable: false },
  video_title: { col: 'video_title', type: 'text', nullable: false },
  category: { col: 'category_path', type: 'text', nullable: true },
  ppl: { col: 'ppl_confidence', type: 'real', nullable: false },
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** The text a keyword searches: the expression of the trigram and bigram indexes, verbatim. */
const SEARCH_TEXT = sql`(coalesce(product_name_manual, '') || ' ' || product_name_ai || ' ' || video_title || ' ' || channel_title)`;

/** The WHERE conditions of the filters (no status). */
export function filterConditions(f: CandidateFilters): SQL[] {
  const out: SQL[] = [];
  if (f.q) {
    out.push(sql`${SEARCH_TEXT} ILIKE ${'%' + escapeLike(f.q) + '%'}`);
    // A 2-character keyword has no trigram: its character pair narrows the rows through the bigram index first.
    if ([...f.q].length === 2) out.push(sql`ii_bigrams(${SEARCH_TEXT}) @> ARRAY[lower(${f.q})]`);
  }
  if (f.category) out.push(sql`(category_path = ${f.category} OR category_path LIKE ${escapeLike(f.category) + ' > %'})`);
  if (f.celebrityId) out.push(sql`celebrity_id = ${Number(f.celebrityId)}`);
  if (f.channelId) out.push(sql`channel_id = ${Number(f.channelId)}`);
  if (f.videoId) out.push(sql`video_id = ${Number(f.videoId)}`);
  if (f.scoreMin !== undefined) out.push(sql`score_total >= ${f.scoreMin}`);
  if (f.scoreMax !== undefined) out.push(sql`score_total <= ${f.scoreMax}`);
  if (f.ppl) out.push(sql`is_ppl = ${f.ppl === 'yes'}`);
  if (f.method) out.push(sql`analysis_method = ${f.method}`);
  if (f.demo) out.push(sql`is_demo = ${f.demo === 'yes'}`);
  return out;
}

const and = (parts: SQL[]) => sql.join(parts, sql` AND `);

/**
 * One page of ids in keyset order. Each status of the tab is its own branch (a range scan of the
 * candidates_status_<sort> index), rows without a sort value come last in both orders (their own branch, by id),
 * and the branches are merged and cut to the page.
 */
async function pageIds(
  db: Executor,
  statuses: readonly string[],
  sort: CandidateSort,
  order: 'asc' | 'desc',
  filters: CandidateFilters,
  cursor: Cursor | null,
  limit: number,
  withNullRows = true,
): Promise<{ id: number; v: string | null }[]> {
  const { col, type, nullable } = sortColumns[sort];
  const c = sql.raw(col);
  const t = sql.raw(type);
  const dir = sql.raw(order === 'asc' ? 'ASC' : 'DESC');
  const cmp = sql.raw(order === 'asc' ? '>' : '<');
  const base = filterConditions(filters);
  const branches: SQL[] = [];
  for (const status of statuses) {
    const where = [sql`current_status = ${status}`, ...base];
    // Rows with a value: skipped entirely once the cursor is already among the value-less rows.
    if (!cursor || cursor.v !== null) {
      const w = [...where];
      if (nullable) w.push(sql`${c} IS NOT NULL`);
      if (cursor) w.push(sql`(${c}, id) ${cmp} (${cursor.v}::${t}, ${cursor.id}::bigint)`);
      branches.push(
        sql`(SELECT id, ${c}::text AS v, 0 AS nulls FROM candidates WHERE ${and(w)} ORDER BY ${c} ${dir}, id ${dir} LIMIT ${limit})`,
      );
    }
    if (nullable && withNullRows) {
      const w = [...where, sql`${c} IS NULL`];
      if (cursor && cursor.v === null) w.push(sql`id ${cmp} ${cursor.id}::bigint`);
      branches.push(sql`(SELECT id, NULL::text AS v, 1 AS nulls FROM candidates WHERE ${and(w)} ORDER BY id ${dir} LIMIT ${limit})`);
    }
  }
  if (!branches.length) return [];
  const query =
    branches.length === 1
      ? branches[0]
      : sql`SELECT id, v FROM (${sql.join(branches, sql` UNION ALL `)}) b ORDER BY nulls, v::${t} ${dir}, id ${dir} LIMIT ${limit}`;
  const res = await db.execute(query);
  return (res.rows as { id: number | string; v: string | null }[]).map((r) => ({ id: Number(r.id), v: r.v }));
}

/** Full candidate objects for ids, in the given order, with the video bits the player needs. */
export async function loadCandidates(db: Executor, ids: number[]): Promise<CandidateDto[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({ c: candidates, youtubeId: videos.youtubeId, sourceKind: videos.sourceKind, mediaPath: videos.mediaPath })
    .from(candidates)
    .leftJoin(videos, eq(videos.id, candidates.videoId))
    .where(inArray(candidates.id, ids));
  const byId = new Map(rows.map((r) => [r.c.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((r): r is NonNullable<typeof r> => !!r)
    .map((r) => toCandidateDto(r.c, r.sourceKind ? { youtubeId: r.youtubeId, sourceKind: r.sourceKind, mediaPath: r.mediaPath } : null));
}

/** Per-tab counts under the same filters. */
export async function countCandidatesByTab(filters: CandidateFilters, db: Executor = getDb()): Promise<Record<CandidateTab, number>> {
  const where = filterConditions(filters);
  const res = await db.execute(
    sql`SELECT current_status AS s, count(*)::int AS n FROM candidates ${where.length ? sql`WHERE ${and(where)}` : sql``} GROUP BY current_status`,
  );
  const byStatus = new Map((res.rows as { s: string; n: number }[]).map((r) => [r.s, Number(r.n)]));
  const out = {} as Record<CandidateTab, number>;
  for (const tab of candidateTabNames) out[tab] = candidateTabs[tab].reduce((sum, s) => sum + (byStatus.get(s) ?? 0), 0);
  return out;
}

/** The candidate list of the console and the API: one tab, sorted and filtered in the database, keyset-paged. */
export async function listCandidates(q: ListCandidatesQuery, db: Executor = getDb()): Promise<CandidateListResponse> {
  if (q.scoreMin !== undefined && q.scoreMax !== undefined && q.scoreMin > q.scoreMax) {
    throw new DomainError('bad_request', 'scoreMin must not be greater than scoreMax.', 'scoreMin');
  }
  const cursor = q.cursor ? decodeCursor(q.cursor, q.sort, q.order) : null;
  const withCounts = q.counts === '1' || q.counts === 'true';
  // The counts run beside the page (another pooled connection) rather than after it.
  const countsPromise = withCounts ? countCandidatesByTab(q, db) : undefined;
  countsPromise?.catch(() => {});
  const rows = await pageIds(db, candidateTabs[q.tab], q.sort, q.order, q, cursor, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > q.limit && last ? encodeCursor({ s: q.sort, o: q.order, v: last.v, id: last.id }) : null;
  const items = await loadCandidates(db, page.map((r) => r.id));
  return { items, nextCursor, ...(countsPromise ? { counts: await countsPromise } : {}) };
}

/** The sort value of one candidate as the cursor stores it. */
async function sortValueOf(db: Executor, id: number, sort: CandidateSort): Promise<string | null | undefined> {
  const res = await db.execute(sql`SELECT ${sql.raw(sortColumns[sort].col)}::text AS v FROM candidates WHERE id = ${id}`);
  const row = res.rows[0] as { v: string | null } | undefined;
  return row ? row.v : undefined;
}

/**
 * The candidates right after and right before one candidate in a view (tab, sort, order, filters) — for j/k and
 * for "open the next unreviewed candidate after an action". Works even when the candidate has left the tab.
 */
export async function neighbourCandidateIds(
  q: ListCandidatesQuery,
  id: number,
  db: Executor = getDb(),
): Promise<{ next: string | null; previous: string | null }> {
  const v = await sortValueOf(db, id, q.sort);
  if (v === undefined) throw notFound(`Candidate ${id}`);
  const statuses = candidateTabs[q.tab];
  const reverse = q.order === 'asc' ? 'desc' : 'asc';
  const [after, before] = await Promise.all([
    pageIds(db, statuses, q.sort, q.order, q, { s: q.sort, o: q.order, v, id }, 1),
    // Walking backwards: the reverse order puts value-less rows last too, so step back by hand at the boundary.
    v === null && sortColumns[q.sort].nullable
      ? previousAcrossNulls(db, statuses, q, id, reverse)
      : pageIds(db, statuses, q.sort, reverse, q, { s: q.sort, o: reverse, v, id }, 1, false),
  ]);
  return { next: after[0] ? String(after[0].id) : null, previous: before[0] ? String(before[0].id) : null };
}

async function previousAcrossNulls(
  db: Executor,
  statuses: readonly string[],
  q: ListCandidatesQuery,
  id: number,
  reverse: 'asc' | 'desc',
): Promise<{ id: number; v: string | null }[]> {
  // Among value-less rows (ordered by id in q.order), the previous one has the neighbouring id the other way.
  const cmp = sql.raw(q.order === 'asc' ? '<' : '>');
  const dir = sql.raw(q.order === 'asc' ? 'DESC' : 'ASC');
  const col = sql.raw(sortColumns[q.sort].col);
  const where = [sql`current_status IN (${sql.join(statuses.map((s) => sql`${s}`), sql`, `)})`, ...filterConditions(q), sql`${col} IS NULL`, sql`id ${cmp} ${id}`];
  const res = await db.execute(sql`SELECT id FROM candidates WHERE ${and(where)} ORDER BY id ${dir} LIMIT 1`);
  if (res.rows.length) return [{ id: Number((res.rows[0] as { id: number }).id), v: null }];
  // None: the previous row is the last row that has a value.
  return pageIds(db, statuses, q.sort, reverse, q, null, 1);
}

export type { CandidateRow, VideoBits };
