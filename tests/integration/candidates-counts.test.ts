import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { resetConfig } from '@/src/server/config';
import { getDb, startDatabase, stopDatabase } from '@/src/server/db';
import { countCandidatesByTab, listCandidates } from '@/src/server/candidates';
import { seedDemo } from '@/src/demo/seed-candidates';
import { CANDIDATE_COUNT_CAP, candidateTabNames, candidateTabs, listCandidatesQuery, type CandidateTab } from '@/src/server/candidates/schemas';

let db: { url: string; drop(): Promise<void> };

before(async () => {
  db = await createTestDatabase('cand_counts');
  process.env.DATABASE_URL = db.url;
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-cand-counts-'));
  resetConfig();
  await startDatabase();
  // Enough rows that a common 2-character word (일상, in most demo titles) passes the cap in the biggest tabs.
  await seedDemo(getDb(), { count: 4500, now: new Date('2026-11-01T00:00:00Z') });
  await getDb().execute(sql`ANALYZE candidates`);
});
after(async () => {
  await stopDatabase();
  await db?.drop();
});

const SEARCH_TEXT = sql`(coalesce(product_name_manual,'') || ' ' || product_name_ai || ' ' || video_title || ' ' || channel_title)`;
const likePattern = (word: string) => '%' + word.replace(/[\\%_]/g, (m) => `\\${m}`) + '%';

/** The true number of candidates per tab for a keyword, by a plain ILIKE over every row (no index involved). */
async function trueCounts(word: string, extra = sql`TRUE`): Promise<Record<CandidateTab, number>> {
  const res = await getDb().execute(
    sql`SELECT current_status AS s, count(*)::int AS n FROM candidates WHERE ${SEARCH_TEXT} ILIKE ${likePattern(word)} AND ${extra} GROUP BY 1`,
  );
  const by = new Map((res.rows as { s: string; n: number }[]).map((r) => [r.s, Number(r.n)]));
  const out = {} as Record<CandidateTab, number>;
  for (const tab of candidateTabNames) out[tab] = candidateTabs[tab].reduce((sum, s) => sum + (by.get(s) ?? 0), 0);
  return out;
}

/** Exact below the cap; past it the cap, flagged as capped. */
function expectCounts(got: { counts: Record<CandidateTab, number>; capped: CandidateTab[] }, want: Record<CandidateTab, number>, label: string) {
  for (const tab of candidateTabNames) {
    if (want[tab] > CANDIDATE_COUNT_CAP) {
      assert.equal(got.counts[tab], CANDIDATE_COUNT_CAP, `${label} ${tab}: capped value`);
      assert.ok(got.capped.includes(tab), `${label} ${tab}: ${want[tab]} rows must be flagged as more than the cap`);
    } else {
      assert.equal(got.counts[tab], want[tab], `${label} ${tab}: exact count`);
      assert.ok(!got.capped.includes(tab), `${label} ${tab}: ${want[tab]} rows must not be flagged`);
    }
  }
}

test('2-character searches count every tab exactly below the cap and say "more" above it', async () => {
  const words = ['토너', '크림', '쿠션', '독도', '일상', 'vL', 'La', '립밤', '%라', '_a', '33'];
  let exactNonZero = 0;
  let capped = 0;
  for (const word of words) {
    const want = await trueCounts(word);
    const got = await countCandidatesByTab({ q: word });
    expectCounts(got, want, word);
    exactNonZero += candidateTabNames.filter((t) => want[t] > 0 && want[t] <= CANDIDATE_COUNT_CAP).length;
    capped += got.capped.length;
  }
  // The data exercise both sides of the cap (else this test could not fail on either).
  assert.ok(exactNonZero > 20, `exact non-zero tab counts: ${exactNonZero}`);
  assert.ok(capped >= 1, `capped tab counts: ${capped}`);
  // With another filter beside the keyword.
  expectCounts(await countCandidatesByTab({ q: '크림', ppl: 'yes' }), await trueCounts('크림', sql`is_ppl`), '크림 ppl=yes');
  expectCounts(await countCandidatesByTab({ q: '일상', scoreMin: 60 }), await trueCounts('일상', sql`score_total >= 60`), '일상 scoreMin=60');
});

test('the list response carries the same counts and the capped tabs; unfiltered counts are always exact', async () => {
  const page = await listCandidates(listCandidatesQuery.parse({ q: '일상', counts: '1', limit: '5' }));
  const direct = await countCandidatesByTab({ q: '일상' });
  assert.deepEqual(page.counts, direct.counts);
  assert.deepEqual(page.countsCapped, direct.capped);
  assert.ok(direct.capped.includes('needs_review'));

  const all = await countCandidatesByTab({});
  const res = await getDb().execute(sql`SELECT count(*)::int AS n FROM candidates WHERE current_status = 'needs_review'`);
  const n = Number((res.rows[0] as { n: number }).n);
  assert.ok(n > CANDIDATE_COUNT_CAP, `needs_review has ${n} rows`);
  assert.equal(all.counts.needs_review, n);
  assert.deepEqual(all.capped, []);
});

test('counts follow edits and status changes of the searched rows', async () => {
  const d = getDb();
  const before = await countCandidatesByTab({ q: '쀍쀏' });
  assert.equal(before.counts.needs_review, 0);
  // A manual product name holding the word: the stored character pairs follow the edit.
  const [row] = (await d.execute(sql`SELECT id FROM candidates WHERE current_status = 'needs_review' ORDER BY id LIMIT 1`)).rows as { id: number }[];
  await d.execute(sql`UPDATE candidates SET product_name_manual = '새 쀍쀏 세트' WHERE id = ${row.id}`);
  let got = await countCandidatesByTab({ q: '쀍쀏' });
  assert.equal(got.counts.needs_review, 1);
  assert.equal(got.counts.approved, 0);
  const page = await listCandidates(listCandidatesQuery.parse({ q: '쀍쀏' }));
  assert.deepEqual(page.items.map((c) => Number(c.id)), [Number(row.id)]);
  // It moves to another tab with its status.
  await d.execute(sql`UPDATE candidates SET current_status = 'approved' WHERE id = ${row.id}`);
  got = await countCandidatesByTab({ q: '쀍쀏' });
  assert.equal(got.counts.needs_review, 0);
  assert.equal(got.counts.approved, 1);
  // And leaves the search when the name changes again.
  await d.execute(sql`UPDATE candidates SET product_name_manual = NULL WHERE id = ${row.id}`);
  got = await countCandidatesByTab({ q: '쀍쀏' });
  assert.equal(got.counts.approved, 0);
});
