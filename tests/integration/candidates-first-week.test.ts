import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { resetConfig } from '@/src/server/config';
import { getDb, schema, startDatabase, stopDatabase } from '@/src/server/db';
import {
  candidateCsvChunks,
  getCandidateOrThrow,
  listCandidateEvents,
  selectCandidateIds,
  transitionCandidate,
  transitionCandidates,
  undoLastAction,
  updateCandidate,
} from '@/src/server/candidates';
import { listCandidatesQuery } from '@/src/server/candidates/schemas';
import { captionSummary, hookSentence, recommendedHashtags, recommendedTitles, type CopyInput } from '@/src/server/analysis/synthesis-copy';
import { goldenJsonLines } from '@/src/server/golden';

/**
 * Issue 14 (review console) at the service level: a rename rewrites the generated copy and keeps what the operator
 * wrote, without polluting the golden set, and undoes as one action; approving a 낮은 점수 candidate goes through
 * review; bulk moves of every kind; the selection of a whole filter; the CSV of a view.
 */
let db: { url: string; drop(): Promise<void> };
let videoId: number;
const who = { userId: null, actor: 'first-week@example.com' };
const q = (over: Record<string, unknown> = {}) => listCandidatesQuery.parse(over);

before(async () => {
  db = await createTestDatabase('cfw');
  process.env.DATABASE_URL = db.url;
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-cfw-'));
  resetConfig();
  await startDatabase();
  const [v] = await getDb().insert(schema.videos).values({ sourceKind: 'youtube', youtubeId: 'cfw00000001', title: '영상', stage: 'done' }).returning();
  videoId = v.id;
});
after(async () => {
  await stopDatabase();
  await db?.drop();
});

let n = 0;
async function insert(values: Partial<typeof schema.candidates.$inferInsert>): Promise<string> {
  const [row] = await getDb()
    .insert(schema.candidates)
    .values({ videoId, productKey: `cfw:${++n}`, productNameAi: '제품', clipStartTime: 1, clipEndTime: 2, celebrityName: '제니', ...values })
    .returning({ id: schema.candidates.id });
  return String(row.id);
}

async function goldenFields(id: string): Promise<string[]> {
  const out: string[] = [];
  for await (const line of goldenJsonLines()) {
    const l = JSON.parse(line);
    if (l.candidate_id === id) out.push(l.field);
  }
  return out.sort();
}

test('a rename rewrites the generated copy, keeps operator-written copy, records only the name in the golden set, undoes as one', async () => {
  const input: CopyInput = { celebrityName: '제니', videoTitle: '아침', productName: '독도 토너', categoryPath: '뷰티 > 스킨케어 > 토너', features: [], hookQuote: null, brandHangul: null };
  const id = await insert({
    productNameAi: '독도 토너',
    categoryPath: input.categoryPath,
    hookSentence: hookSentence(input),
    summaryForCaption: captionSummary(input),
    recommendedTitles: recommendedTitles(input),
    recommendedHashtags: recommendedHashtags(input),
  });
  const c0 = await getCandidateOrThrow(id);
  const c1 = await updateCandidate(id, { version: c0.version, product_name_manual: '라운드랩 수분 크림' }, who);
  assert.equal(c1.candidate_info.hook_sentence, '제니가 영상에서 꺼낸 라운드랩 수분 크림');
  assert.ok(c1.candidate_info.summary_for_caption!.includes('소개한 라운드랩 수분 크림.'));
  assert.ok(c1.candidate_info.recommended_titles.every((t) => !t.includes('독도 토너')));
  assert.ok(c1.candidate_info.recommended_hashtags.includes('#라운드랩수분크림'));
  const [edit] = (await listCandidateEvents(id)).filter((e) => e.kind === 'edit');
  assert.equal(edit.diff!.product_name_manual.derived, undefined);
  assert.equal(edit.diff!.hook_sentence.derived, true);
  assert.deepEqual(await goldenFields(id), ['product_name']);

  // The operator writes the hook; the next rename leaves it, rewrites the rest.
  const c2 = await updateCandidate(id, { version: c1.version, hook_sentence: '내가 쓴 훅: 라운드랩 수분 크림' }, who);
  const c3 = await updateCandidate(id, { version: c2.version, product_name_manual: '라운드랩 선크림' }, who);
  assert.equal(c3.candidate_info.hook_sentence, '내가 쓴 훅: 라운드랩 수분 크림');
  assert.ok(c3.candidate_info.summary_for_caption!.includes('소개한 라운드랩 선크림.'));
  assert.deepEqual(await goldenFields(id), ['hook_sentence', 'product_name']);

  // Undo takes the rename and its copy back together, and adds no golden pair for the copy.
  const u = await undoLastAction(id, who);
  assert.equal(u.candidate_info.product_name, '라운드랩 수분 크림');
  assert.ok(u.candidate_info.summary_for_caption!.includes('소개한 라운드랩 수분 크림.'));
  assert.deepEqual(await goldenFields(id), ['hook_sentence', 'product_name']);

  // Copy sent in the same edit is taken as given.
  const c4 = await updateCandidate(id, { version: u.version, product_name_manual: '헤라 쿠션', recommended_titles: ['직접'] }, who);
  assert.deepEqual(c4.candidate_info.recommended_titles, ['직접']);
  assert.ok(c4.candidate_info.summary_for_caption!.includes('헤라 쿠션'));
});

test('approving a 낮은 점수 candidate goes through needs_review (two events); PPL-suspect ones are still refused', async () => {
  const low = await insert({ currentStatus: 'low_score_filtered' });
  const a = await transitionCandidate(low, { to: 'approved' }, who);
  assert.equal(a.status_info.current_status, 'approved');
  const moves = (await listCandidateEvents(low)).filter((e) => e.kind === 'transition').map((e) => `${e.fromStatus}>${e.toStatus}`);
  assert.deepEqual(moves, ['low_score_filtered>needs_review', 'needs_review>approved']);
  assert.equal((await undoLastAction(low, who)).status_info.current_status, 'needs_review');
  assert.equal((await undoLastAction(low, who)).status_info.current_status, 'low_score_filtered');
  const ppl = await insert({ currentStatus: 'high_ppl_risk' });
  await assert.rejects(transitionCandidate(ppl, { to: 'approved' }, who), (e: { code: string }) => e.code === 'invalid_transition');
});

test('bulk moves: archive, restore, publish; each refusal reported; the selection covers the whole filter', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 120; i++) ids.push(await insert({ productNameAi: `일괄 ${i}`, currentStatus: 'high_ppl_risk', scoreTotal: i % 100 }));
  const sel = await selectCandidateIds(q({ tab: 'high_ppl_risk', q: '일괄' }));
  assert.equal(sel.total, 120);
  assert.equal(sel.truncated, false);
  assert.deepEqual([...sel.ids].sort(), [...ids].sort());
  const archived = await transitionCandidates(sel.ids.slice(0, 100), 'archived', '광고', who);
  assert.ok(archived.every((r) => r.ok && r.status === 'archived'));
  const restored = await transitionCandidates(sel.ids.slice(100), 'needs_review', undefined, who);
  assert.ok(restored.every((r) => r.ok && r.status === 'needs_review'));
  const approved = await transitionCandidates(sel.ids.slice(100, 105), 'approved', undefined, who);
  const published = await transitionCandidates([...sel.ids.slice(100, 105), sel.ids[0]], 'published', undefined, who);
  assert.ok(approved.every((r) => r.ok));
  assert.deepEqual(published.map((r) => r.ok), [true, true, true, true, true, false]);
  assert.equal(published[5].error?.code, 'invalid_transition');
  const noNote = await transitionCandidates([sel.ids[110]], 'rejected', undefined, who);
  assert.equal(noNote[0].error?.code, 'bad_request');
});

test('CSV of a view: BOM, Korean header, every row of the filter in the view order, fields quoted', async () => {
  for (let i = 0; i < 30; i++) await insert({ productNameAi: i === 0 ? '=HYPERLINK("x"), "따옴표"' : `내보내기 ${i}`, scoreTotal: i, categoryPath: '내보내기' });
  let text = '';
  for await (const chunk of candidateCsvChunks({ ...q({ category: '내보내기', sort: 'score', order: 'asc' }), limit: 50 })) text += chunk;
  assert.ok(text.startsWith('\uFEFF후보 ID,상태,제품명'));
  const lines = text.slice(1).trimEnd().split('\r\n');
  assert.equal(lines.length, 31);
  assert.ok(lines[1].includes(`"'=HYPERLINK(""x""), ""따옴표"""`));
  const [row] = await getDb().select().from(schema.candidates).where(eq(schema.candidates.productNameAi, '내보내기 29'));
  assert.ok(lines[30].startsWith(`${row.id},검토 대기,내보내기 29,`));
});
