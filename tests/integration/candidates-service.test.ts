import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { resetConfig } from '@/src/server/config';
import { getDb, startDatabase, stopDatabase } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import {
  attachCoupangLink,
  countCandidatesByTab,
  getCandidateOrThrow,
  listCandidateEvents,
  listCandidates,
  neighbourCandidateIds,
  transitionCandidate,
  transitionCandidates,
  undoLastAction,
  updateCandidate,
} from '@/src/server/candidates';
import { clearDemo, seedDemo } from '@/src/demo/seed-candidates';
import { candidateSorts, candidateTabNames, candidateTabs, listCandidatesQuery, type CandidateDto } from '@/src/server/candidates/schemas';
import { evaluateGolden, goldenJsonLines } from '@/src/server/golden';

let db: { url: string; drop(): Promise<void> };
const who = { userId: null, actor: 'test@example.com' };

before(async () => {
  db = await createTestDatabase('cand');
  process.env.DATABASE_URL = db.url;
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-cand-'));
  resetConfig();
  await startDatabase();
  await seedDemo(getDb(), { count: 400, now: new Date('2026-11-01T00:00:00Z') });
});
after(async () => {
  await stopDatabase();
  await db?.drop();
});

const q = (over: Record<string, unknown> = {}) => listCandidatesQuery.parse(over);

type Ref = { id: number; status: string; v: string | number | null };
const sortCol: Record<string, string> = {
  score: 'score_total',
  created: 'created_at',
  upload_date: 'video_published_at',
  channel: 'channel_title',
  celebrity: 'celebrity_name',
  video_title: 'video_title',
  category: 'category_path',
  ppl: 'ppl_confidence',
};

/** The expected order, computed by Postgres in one plain query (nulls last in both orders, id breaks ties). */
async function expectedIds(tab: keyof typeof candidateTabs, sort: string, order: 'asc' | 'desc', where = sql`TRUE`): Promise<number[]> {
  const statuses = candidateTabs[tab];
  const col = sql.raw(sortCol[sort]);
  const dir = sql.raw(order);
  const res = await getDb().execute(
    sql`SELECT id FROM candidates WHERE current_status IN (${sql.join(statuses.map((s) => sql`${s}`), sql`, `)}) AND ${where}
        ORDER BY (${col} IS NULL), ${col} ${dir}, id ${dir}`,
  );
  return (res.rows as Ref[]).map((r) => Number(r.id));
}

async function walk(query: Record<string, unknown>): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await listCandidates(q({ ...query, ...(cursor ? { cursor } : {}) }));
    ids.push(...page.items.map((c) => Number(c.id)));
    cursor = page.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('too many pages');
}

test('every tab × sort × order pages through exactly the expected rows in the expected order', async () => {
  for (const tab of candidateTabNames) {
    for (const sort of candidateSorts) {
      for (const order of ['asc', 'desc'] as const) {
        const got = await walk({ tab, sort, order, limit: '23' });
        const want = await expectedIds(tab, sort, order);
        assert.deepEqual(got, want, `${tab} ${sort} ${order}`);
      }
    }
  }
});

test('counts per tab match the rows; rejected holds rejected and archived', async () => {
  const { counts, capped } = await countCandidatesByTab({});
  assert.deepEqual(capped, []);
  const res = await getDb().execute(sql`SELECT current_status AS s, count(*)::int AS n FROM candidates GROUP BY 1`);
  const by = new Map((res.rows as { s: string; n: number }[]).map((r) => [r.s, Number(r.n)]));
  assert.equal(counts.rejected, (by.get('rejected') ?? 0) + (by.get('archived') ?? 0));
  assert.equal(counts.needs_review, by.get('needs_review'));
  assert.ok(counts.needs_review > 50 && counts.filtered_no_coupang > 10 && counts.published > 5, JSON.stringify(counts));
  const page = await listCandidates(q({ counts: '1', limit: '5' }));
  assert.deepEqual(page.counts, counts);
  assert.deepEqual(page.countsCapped, []);
  assert.equal(page.items.length, 5);
});

test('filters narrow the rows in the database and keep keyset paging', async () => {
  const [one] = (await listCandidates(q({ limit: '1' }))).items;
  const cases: [Record<string, unknown>, ReturnType<typeof sql>][] = [
    [{ q: '토너' }, sql`(coalesce(product_name_manual,'') || ' ' || product_name_ai || ' ' || video_title || ' ' || channel_title) ILIKE '%토너%'`],
    // two characters, any case: answered through the bigram index, same rows as a plain scan
    [{ q: 'lA' }, sql`(coalesce(product_name_manual,'') || ' ' || product_name_ai || ' ' || video_title || ' ' || channel_title) ILIKE '%la%'`],
    [{ q: '50%' }, sql`FALSE`],
    [{ category: '뷰티' }, sql`(category_path = '뷰티' OR category_path LIKE '뷰티 > %')`],
    [{ category: '뷰티 > 스킨케어' }, sql`category_path LIKE '뷰티 > 스킨케어%'`],
    [{ celebrityId: one.source_info.celebrity_id }, sql`celebrity_id = ${Number(one.source_info.celebrity_id)}`],
    [{ channelId: one.source_info.channel_id }, sql`channel_id = ${Number(one.source_info.channel_id)}`],
    [{ videoId: one.videoId }, sql`video_id = ${Number(one.videoId)}`],
    [{ scoreMin: '40', scoreMax: '60' }, sql`score_total BETWEEN 40 AND 60`],
    [{ ppl: 'yes' }, sql`is_ppl`],
    [{ method: 'llm' }, sql`analysis_method = 'llm'`],
  ];
  for (const [filter, where] of cases) {
    for (const tab of ['needs_review', 'rejected'] as const) {
      const got = await walk({ tab, sort: 'score', order: 'desc', limit: '7', ...filter });
      const want = await expectedIds(tab, 'score', 'desc', where);
      assert.deepEqual(got, want, JSON.stringify({ tab, filter }));
    }
  }
  await assert.rejects(listCandidates(q({ scoreMin: '70', scoreMax: '10' })), /scoreMin/);
});

test('a cursor from another sort, or garbage, is refused; limit is clamped to 1..100', async () => {
  const page = await listCandidates(q({ sort: 'score', limit: '2' }));
  assert.ok(page.nextCursor);
  await assert.rejects(listCandidates(q({ sort: 'channel', cursor: page.nextCursor })), (e: DomainError) => e.code === 'bad_request' && e.field === 'cursor');
  await assert.rejects(listCandidates(q({ cursor: 'not-a-cursor' })), (e: DomainError) => e.code === 'bad_request');
  assert.equal((await listCandidates(q({ limit: '1000' }))).items.length, 100);
  assert.equal(q({ limit: '0' }).limit, 1);
  assert.throws(() => q({ sort: 'bogus' }));
  assert.throws(() => q({ tab: 'nope' }));
});

test('list items are whole records with the PRODUCT.md field names', async () => {
  const [c] = (await listCandidates(q({ limit: '1' }))).items;
  assert.equal(typeof c.id, 'string');
  assert.ok(c.isDemo);
  for (const k of ['source_info', 'candidate_info', 'monetization_info', 'status_info', 'evidence'] as const) assert.ok(c[k], k);
  assert.ok(c.candidate_info.recommended_hashtags.length >= 8);
  assert.equal(c.candidate_info.recommended_titles.length, 3);
  assert.match(c.candidate_info.summary_for_caption ?? '', /쿠팡 파트너스/);
  assert.equal(c.status_info.current_status, 'needs_review');
  assert.ok(c.source_info.youtube_id);
});

async function firstIn(tab: keyof typeof candidateTabs, skip = 0): Promise<CandidateDto> {
  return (await listCandidates(q({ tab, limit: String(skip + 1) }))).items[skip];
}

test('edit with version: stale edits are refused, each change is an event and a golden pair', async () => {
  const c = await firstIn('needs_review');
  const edited = await updateCandidate(c.id, { version: c.version, product_name_manual: '라운드랩 1025 독도 토너 500ml' }, who);
  assert.equal(edited.version, c.version + 1);
  assert.equal(edited.candidate_info.product_name, '라운드랩 1025 독도 토너 500ml');
  await assert.rejects(
    updateCandidate(c.id, { version: c.version, product_name_manual: 'other' }, who),
    (e: DomainError) => e.code === 'conflict' && /Reload/.test(e.message),
  );
  // A no-op edit writes nothing.
  const same = await updateCandidate(c.id, { version: edited.version, product_name_manual: '라운드랩 1025 독도 토너 500ml' }, who);
  assert.equal(same.version, edited.version);
  await assert.rejects(updateCandidate(c.id, { version: edited.version, clip_start_time: 50, clip_end_time: 40 }, who), /clip_end_time/);
  const cap = await updateCandidate(c.id, { version: edited.version, summary_for_caption: '짧은 캡션', category_path: '뷰티 >  스킨케어 > 토너 ' }, who);
  assert.match(cap.candidate_info.summary_for_caption!, /^짧은 캡션\n\n이 포스팅은 쿠팡 파트너스/);
  assert.equal(cap.candidate_info.category_path, '뷰티 > 스킨케어 > 토너');

  const events = await listCandidateEvents(c.id);
  const editEvents = events.filter((e) => e.kind === 'edit');
  assert.equal(editEvents.length, 2);
  assert.deepEqual(editEvents[0].diff?.product_name_manual, { from: null, to: '라운드랩 1025 독도 토너 500ml' });
  assert.equal(editEvents[0].actor, who.actor);

  const lines: { candidate_id: string; field: string; model: unknown; human: unknown; evidence: { transcript_span: unknown[] } }[] = [];
  for await (const l of goldenJsonLines()) lines.push(JSON.parse(l));
  const pn = lines.find((l) => l.candidate_id === c.id && l.field === 'product_name');
  assert.deepEqual([pn?.model, pn?.human], [c.candidate_info.product_name_ai, '라운드랩 1025 독도 토너 500ml']);
  assert.ok(pn!.evidence.transcript_span.length > 0);
  assert.ok(lines.some((l) => l.candidate_id === c.id && l.field === 'summary_for_caption'));

  // Correcting back to the model's value removes the pair: nothing was corrected.
  await updateCandidate(c.id, { version: cap.version, product_name_manual: null }, who);
  const after: { candidate_id: string; field: string }[] = [];
  for await (const l of goldenJsonLines()) after.push(JSON.parse(l));
  assert.equal(after.some((l) => l.candidate_id === c.id && l.field === 'product_name'), false);
});

test('transitions follow PRODUCT.md; illegal ones are refused with the reason', async () => {
  const c = await firstIn('needs_review', 3);
  await assert.rejects(transitionCandidate(c.id, { to: 'published' }, who), (e: DomainError) => e.code === 'invalid_transition' && /needs_review to published/.test(e.message));
  await assert.rejects(transitionCandidate(c.id, { to: 'rejected' }, who), (e: DomainError) => e.code === 'bad_request' && e.field === 'note');
  await assert.rejects(transitionCandidate(c.id, { to: 'approved', version: c.version + 5 }, who), (e: DomainError) => e.code === 'conflict');
  const a = await transitionCandidate(c.id, { to: 'approved', note: '좋아요' }, who);
  assert.equal(a.status_info.current_status, 'approved');
  assert.equal(a.status_info.tab, 'approved');
  const p = await transitionCandidate(c.id, { to: 'published' }, who);
  assert.equal(p.status_info.current_status, 'published');
  assert.ok(p.status_info.published_at);
  await assert.rejects(transitionCandidate(c.id, { to: 'needs_review' }, who), (e: DomainError) => e.code === 'invalid_transition' && /final/.test(e.message));
  const ev = (await listCandidateEvents(c.id)).filter((e) => e.kind === 'transition');
  assert.deepEqual(ev.map((e) => [e.fromStatus, e.toStatus, e.note]), [['needs_review', 'approved', '좋아요'], ['approved', 'published', null]]);

  const ppl = await firstIn('high_ppl_risk');
  assert.equal((await transitionCandidate(ppl.id, { to: 'archived', note: '광고' }, who)).status_info.tab, 'rejected');
  await assert.rejects(getCandidateOrThrow('999999999'), (e: DomainError) => e.code === 'not_found');
  await assert.rejects(getCandidateOrThrow('abc'), (e: DomainError) => e.code === 'bad_request');
});

test('a filtered candidate returns to review only with a Coupang link', async () => {
  const f = await firstIn('filtered_no_coupang');
  await assert.rejects(transitionCandidate(f.id, { to: 'needs_review' }, who), (e: DomainError) => e.code === 'invalid_transition' && /Coupang link/.test(e.message));
  for (const bad of ['https://www.evil.com/vp/products/1', 'javascript:alert(1)', 'not a url', 'https://coupang.com.evil.com/x']) {
    await assert.rejects(attachCoupangLink(f.id, { url: bad }, who), (e: DomainError) => e.code === 'bad_request' && e.field === 'url', bad);
  }
  const r = await attachCoupangLink(f.id, { url: 'https://www.coupang.com/vp/products/7654321?itemId=1' }, who);
  assert.equal(r.candidate.status_info.current_status, 'needs_review');
  assert.equal(r.candidate.monetization_info.coupang_url_manual, 'https://www.coupang.com/vp/products/7654321?itemId=1');
  assert.equal(r.candidate.monetization_info.coupang_url, 'https://www.coupang.com/vp/products/7654321?itemId=1');
  assert.equal(r.deepLink, 'not_configured');
  assert.match(r.message, /설정되지 않아/);
  const [ev] = (await listCandidateEvents(f.id)).filter((e) => e.kind === 'link');
  assert.deepEqual([ev.fromStatus, ev.toStatus], ['filtered_no_coupang', 'needs_review']);
  // Undo puts it back where it was, link and all.
  const u = await undoLastAction(f.id, who);
  assert.equal(u.status_info.current_status, 'filtered_no_coupang');
  assert.equal(u.monetization_info.coupang_url_manual, null);
});

test('undo restores the previous state, as a stack, and refuses when nothing is left', async () => {
  const c = await firstIn('needs_review', 5);
  const e = await updateCandidate(c.id, { version: c.version, recommended_titles: ['하나', '둘', '셋'] }, who);
  await transitionCandidate(c.id, { to: 'approved', version: e.version }, who);
  let u = await undoLastAction(c.id, who);
  assert.equal(u.status_info.current_status, 'needs_review');
  assert.deepEqual(u.candidate_info.recommended_titles, ['하나', '둘', '셋']);
  u = await undoLastAction(c.id, who);
  assert.deepEqual(u.candidate_info.recommended_titles, c.candidate_info.recommended_titles);
  await assert.rejects(undoLastAction(c.id, who), (err: DomainError) => err.code === 'conflict' && /Nothing to undo/.test(err.message));
  const kinds = (await listCandidateEvents(c.id)).map((x) => x.kind);
  assert.deepEqual(kinds, ['edit', 'transition', 'undo', 'undo']);
});

test('bulk approve/reject reports each candidate; neighbours follow the view', async () => {
  const page = await listCandidates(q({ limit: '4', sort: 'score', order: 'desc' }));
  const ids = page.items.map((c) => c.id);
  const nb = await neighbourCandidateIds(q({ sort: 'score', order: 'desc' }), Number(ids[1]));
  assert.deepEqual(nb, { next: ids[2], previous: ids[0] });
  const first = await neighbourCandidateIds(q({ sort: 'score', order: 'desc' }), Number(ids[0]));
  assert.equal(first.previous, null);
  const results = await transitionCandidates([ids[0], ids[1]], 'rejected', undefined, who);
  assert.ok(results.every((r) => !r.ok && r.error?.code === 'bad_request'));
  const ok = await transitionCandidates([ids[0], ids[1], ids[0]], 'approved', undefined, who);
  assert.deepEqual(ok.map((r) => [r.id, r.ok, r.status]), [[ids[0], true, 'approved'], [ids[1], true, 'approved']]);
  // After ids[0] left the tab, its next is still the candidate after it in the view.
  const after = await neighbourCandidateIds(q({ sort: 'score', order: 'desc' }), Number(ids[1]));
  assert.equal(after.next, ids[2]);
  // Neighbours across rows without an upload date (nulls last).
  const all = await walk({ sort: 'upload_date', order: 'asc', limit: '100' });
  for (const i of [0, Math.floor(all.length / 2), all.length - 2]) {
    const n = await neighbourCandidateIds(q({ sort: 'upload_date', order: 'asc' }), all[i]);
    assert.equal(n.next, String(all[i + 1]));
    assert.equal(n.previous, i ? String(all[i - 1]) : null);
  }
});

test('golden evaluation counts precision and kept fields on real (non-demo) rows', async () => {
  const empty = await evaluateGolden();
  assert.equal(empty.reviewed, 0);
  await getDb().execute(sql`UPDATE candidates SET is_demo = false WHERE id IN (SELECT id FROM candidates WHERE current_status = 'approved' ORDER BY id LIMIT 4)`);
  const [c] = (await listCandidates(q({ tab: 'approved', demo: 'no', limit: '1' }))).items;
  assert.ok(c);
  // approved candidates can no longer be edited through the status graph, but fields can still be corrected.
  await updateCandidate(c.id, { version: c.version, clip_start_time: c.candidate_info.clip_start_time + 1 }, who);
  const r = await evaluateGolden();
  assert.equal(r.accepted, 4);
  assert.equal(r.precision, 1);
  assert.deepEqual(r.fields.map((f) => [f.field, f.matched]), [['product_name', 4], ['category_path', 4], ['clip', 3]]);
  assert.ok(r.clipMeanIou! < 1 && r.clipMeanIou! > 0.5);
});

test('clearDemo removes every demo row and nothing else', async () => {
  await getDb().execute(sql`INSERT INTO videos (source_kind, youtube_id, title) VALUES ('youtube', 'realVideo01', 'real')`);
  const r = await clearDemo(getDb());
  assert.ok(r.candidates > 300 && r.videos > 100 && r.channels > 10 && r.celebrities > 5, JSON.stringify(r));
  const left = await getDb().execute(sql`SELECT (SELECT count(*) FROM candidates)::int AS c, (SELECT count(*) FROM videos)::int AS v`);
  assert.deepEqual(left.rows[0], { c: 0, v: 1 });
});
