import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';

/**
 * One candidate per (video, product) whatever order the windows finish in: saveWindowCandidate on a real database,
 * windows saved in both orders and twice.
 */
let db: { url: string; drop(): Promise<void> };
let dataDir: string;
let D: typeof import('@/src/server/db');
let S: typeof import('@/src/server/candidates/pipeline/save-candidate');

before(async () => {
  db = await createTestDatabase('pmerge');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-merge-'));
  Object.assign(process.env, { DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  (await import('@/src/server/config')).resetConfig();
  D = await import('@/src/server/db');
  await D.startDatabase();
  S = await import('@/src/server/candidates/pipeline/save-candidate');
});

after(async () => {
  await D?.stopDatabase();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const fields = (name: string) => ({
  product_name_ai: name,
  category_path: null,
  features: [],
  hook_sentence: '',
  summary_for_caption: '',
  target_audience: [],
  price_point: null,
  endorsement_type: '자연스러운 언급' as const,
  recommended_titles: ['a', 'b', 'c'] as [string, string, string],
  recommended_hashtags: ['#1', '#2', '#3', '#4', '#5', '#6', '#7', '#8'],
  name_sources: [],
});
const score = (total: number) => ({ total, sentiment_score: 0.2, endorsement_score: 0.2, influencer_score: 0.5, evidence: { sentiment: [], endorsement: [], influencer: [] } });
const ppl = { probability: 0, isPpl: false, level: 'none' as const, reasons: [] };

async function setup() {
  const { getDb, schema } = D;
  const [v] = await getDb().insert(schema.videos).values({ sourceKind: 'upload', uploadHash: crypto.randomBytes(8).toString('hex'), title: 't', stage: 'synthesize' }).returning();
  const spans = [
    [19, 29],
    [38, 45],
    [300, 310],
  ];
  const wins = [];
  for (const [i, [start, end]] of spans.entries()) {
    const [w] = await getDb().insert(schema.windows).values({ videoId: v.id, ordinal: i + 1, start, end, reason: `w${i + 1}`, confidence: 0.8, method: 'rule', stage: 'synthesize' }).returning();
    wins.push(w);
  }
  return { video: v, wins };
}

function save(videoId: number, w: { id: number; ordinal: number; start: number; end: number; reason: string }, name: string, total: number) {
  return D.transaction((tx) =>
    S.saveWindowCandidate(tx, {
      source: { videoId, celebrityId: null, channelId: null, celebrityName: '', channelTitle: '', videoTitle: 't', videoUrl: '', videoPublishedAt: null },
      window: { ...w, confidence: 0.8 },
      fields: fields(name),
      method: 'rule',
      ppl,
      score: score(total),
      evidence: { transcriptSpan: [], frameTimestamps: [], ocrLines: [name], detections: [], cropPath: null, framePaths: [] },
    }),
  );
}

const list = (videoId: number) => D.getDb().select().from(D.schema.candidates).where(eq(D.schema.candidates.videoId, videoId)).orderBy(D.schema.candidates.id);

test('named first, then an unnamed praise nearby: one candidate, the praise is evidence; a far unnamed window stays its own', async () => {
  const { video, wins } = await setup();
  assert.equal((await save(video.id, wins[0], '라운드랩 독도 토너', 30)).outcome, 'created');
  assert.equal((await save(video.id, wins[1], '확인 필요', 20)).outcome, 'merged');
  assert.equal((await save(video.id, wins[2], '확인 필요', 20)).outcome, 'created');
  const rows = await list(video.id);
  assert.equal(rows.length, 2);
  assert.equal(rows[0].productNameAi, '라운드랩 독도 토너');
  assert.deepEqual(rows[0].evidence?.otherWindows.map((o) => o.start), [38]);
  assert.equal(rows[1].productKey, 'unknown:w3');
});

test('unnamed praise first, then the named product: the unnamed candidate is folded in', async () => {
  const { video, wins } = await setup();
  assert.equal((await save(video.id, wins[1], '확인 필요', 20)).outcome, 'created');
  assert.equal((await list(video.id)).length, 1);
  await save(video.id, wins[0], '라운드랩 독도 토너', 30);
  const rows = await list(video.id);
  assert.equal(rows.length, 1);
  assert.match(rows[0].productNameAi, /라운드랩/);
  assert.deepEqual(rows[0].evidence?.otherWindows, [{ start: 38, end: 45, reason: 'w2' }]);
  await save(video.id, wins[1], '확인 필요', 20); // rerun of the unnamed window
  const again = await list(video.id);
  assert.equal(again.length, 1);
  assert.deepEqual(again[0].evidence?.otherWindows, [{ start: 38, end: 45, reason: 'w2' }]);
});

test('the same product in two windows keeps the stronger as the clip; saving again changes nothing', async () => {
  const { video, wins } = await setup();
  await save(video.id, wins[0], '라운드랩 독도 토너', 30);
  await save(video.id, wins[2], 'ROUND LAB 독도 토너', 70); // stronger, later window
  let rows = await list(video.id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].clipStartTime, 300);
  assert.deepEqual(rows[0].evidence?.otherWindows.map((o) => o.start), [19]);
  const before = rows[0];
  await save(video.id, wins[0], '라운드랩 독도 토너', 30);
  await save(video.id, wins[2], 'ROUND LAB 독도 토너', 70);
  rows = await list(video.id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].id, before.id);
  assert.equal(rows[0].clipStartTime, 300);
  assert.deepEqual(rows[0].evidence?.otherWindows, before.evidence?.otherWindows);
  const created = await D.getDb().select().from(D.schema.candidateEvents).where(eq(D.schema.candidateEvents.candidateId, before.id));
  assert.equal(created.filter((e) => e.kind === 'created').length, 1);
});
