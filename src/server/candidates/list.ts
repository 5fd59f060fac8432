import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { getDb, schema, type Executor } from '@/src/server/db';
import { DomainError, notFound } from '@/src/server/errors';
import { decodeCursor, encodeCursor, type Cursor } from './cursor';
import { toCandidateDto, type CandidateRow, type VideoBits } from './dto';
import {
  BULK_MAX,
  CANDIDATE_COUNT_CAP,
  candidateTabNames,
  candidateTabs,
  type CandidateDto,
  type CandidateFilters,
  type CandidateSelection,
  type CandidateListResponse,
  type CandidateSort,
  type CandidateTab,
  type ListCandidatesQuery,
} from './schemas';

const { candidates, videos, publicLinks } = schema;

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

/** The text a keyword searches: the expression of the trigram index and of the search_bigrams column, verbatim. */
const SEARCH_TEXT = sql`(coalesce(product_name_manual, '') || ' ' || product_name_ai || ' ' || video_title || ' ' || channel_title)`;

/**
 * A keyword's condition. From 3 characters: ILIKE, served by the trigram index. A 2-character keyword has no
 * trigram: it is one element of search_bigrams (its lower-cased character pair), which is the same test as the ILIKE
 * and is answered by the (status, bigram) GIN index — for counting too, with no row to re-check. The ILIKE stays only
 * for a keyword whose lower case is not 2 characters; Postgres folds that test on the bound keyword when it plans.
 */
function keywordConditions(q: string): SQL[] {
  const like = sql`${SEARCH_TEXT} ILIKE ${'%' + escapeLike(q) + '%'}`;
  if ([...q].length !== 2) return [like];
  return [sql`search_bigrams @> ii_bigrams(${q}::text)`, sql`(char_length(lower(${q}::text)) = 2 OR ${like})`];
}

/** The WHERE conditions of the filters (no status). */
export function filterConditions(f: CandidateFilters): SQL[] {
  const out: SQL[] = [];
  if (f.q) out.push(...keywordConditions(f.q));
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
    .select({
      c: candidates,
      youtubeId: videos.youtubeId,
      sourceKind: videos.sourceKind,
      mediaPath: videos.mediaPath,
      linkSlug: publicLinks.slug,
      linkClicks: publicLinks.clicks,
    })
    .from(candidates)
    .leftJoin(videos, eq(videos.id, candidates.videoId))
    .leftJoin(publicLinks, eq(publicLinks.candidateId, candidates.id))
    .where(inArray(candidates.id, ids));
  const byId = new Map(rows.map((r) => [r.c.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((r): r is NonNullable<typeof r> => !!r)
    .map((r) =>
      toCandidateDto(
        r.c,
        r.sourceKind ? { youtubeId: r.youtubeId, sourceKind: r.sourceKind, mediaPath: r.mediaPath } : null,
        r.linkSlug ? { slug: r.linkSlug, clicks: r.linkClicks ?? 0 } : null,
      ),
    );
}

export type TabCounts = { counts: Record<CandidateTab, number>; capped: CandidateTab[] };

/**
 * Per-tab counts under the same filters, in one statement. Without filters every count is exact (one pass over the
 * status index). With filters each status is counted up to CANDIDATE_COUNT_CAP + 1 matching rows, so a broad search
 * costs at most that many rows per tab: a tab past the cap reports CANDIDATE_COUNT_CAP and is listed in `capped`
 * (the console shows "1,000+"); below it the number is exact.
 */
export async function countCandidatesByTab(filters: CandidateFilters, db: Executor = getDb()): Promise<TabCounts> {
  const where = filterConditions(filters);
  const byStatus = new Map<string, number>();
  if (!where.length) {
    const res = await db.execute(sql`SELECT current_status AS s, count(*)::int AS n FROM candidates GROUP BY current_status`);
    for (const r of res.rows as { s: string; n: number }[]) byStatus.set(r.s, Number(r.n));
  } else {
    const statuses = candidateTabNames.flatMap((tab) => candidateTabs[tab]);
    const limit = CANDIDATE_COUNT_CAP + 1;
    const columns = statuses.map(
      (s, i) =>
        sql`(SELECT count(*)::int FROM (SELECT 1 FROM candidates WHERE current_status = ${s} AND ${and(where)} LIMIT ${limit}) m) AS ${sql.raw(`n${i}`)}`,
    );
    const row = (await db.execute(sql`SELECT ${sql.join(columns, sql`, `)}`)).rows[0] as Record<string, number>;
    statuses.forEach((s, i) => byStatus.set(s, Number(row[`n${i}`])));
  }
  const counts = {} as Record<CandidateTab, number>;
  const capped: CandidateTab[] = [];
  for (const tab of candidateTabNames) {
    const n = candidateTabs[tab].reduce((sum, s) => sum + (byStatus.get(s) ?? 0), 0);
    const over = where.length > 0 && n > CANDIDATE_COUNT_CAP;
    counts[tab] = over ? CANDIDATE_COUNT_CAP : n;
    if (over) capped.push(tab);
  }
  return { counts, capped };
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
  if (!countsPromise) return { items, nextCursor };
  const { counts, capped } = await countsPromise;
  return { items, nextCursor, counts, countsCapped: capped };
}

/**
 * Every candidate of a view (its tab and filters, across all pages), for a bulk action on the whole filtered result:
 * the ids in the view's order up to BULK_MAX, and the exact number that match.
 */
export async function selectCandidateIds(q: ListCandidatesQuery, db: Executor = getDb()): Promise<CandidateSelection> {
  const statuses = candidateTabs[q.tab];
  const where = [sql`current_status IN (${sql.join(statuses.map((s) => sql`${s}`), sql`, `)})`, ...filterConditions(q)];
  const rows = await pageIds(db, statuses, q.sort, q.order, q, null, BULK_MAX + 1);
  let total = rows.length;
  if (rows.length > BULK_MAX) {
    const res = await db.execute(sql`SELECT count(*)::int AS n FROM candidates WHERE ${and(where)}`);
    total = Number((res.rows[0] as { n: number }).n);
  }
  return { ids: rows.slice(0, BULK_MAX).map((r) => String(r.id)), total, truncated: rows.length > BULK_MAX };
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
