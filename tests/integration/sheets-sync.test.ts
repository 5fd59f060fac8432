/**
 * Google Sheets sync against the Sheets fake (service-account JWT → the fake's /token via the key's token_uri; googleapis
 * pointed at the fake through GOOGLE_API_ROOT_URL), real Postgres: import twice → the same channels; export → rows in
 * the fake, updated in place, never duplicated; not configured → a clear not_configured.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { setEnv } from '../helpers/env';
import { startSheetsFake, startYoutubeFeedFake, type SheetsFake, type YoutubeFeedFake } from '../fakes/index';
import { startApp, stopApp } from '@/src/start';
import { getDb, getPool, schema } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { configureProvider, resetPolicies } from '@/src/server/integrations/policy';
import { sheetsStatus, syncSheets } from '@/src/server/sheets';
import sheetsSyncWorker from '@/src/workers/sheets-sync';

const SID = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg';
const { channels, celebrities, candidates, videos } = schema;
let db: { url: string; drop(): Promise<void> };
let fake: SheetsFake;
let feeds: YoutubeFeedFake;
let dataDir: string;
let serviceAccountJson: string;

before(async () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fake = await startSheetsFake({
    spreadsheetId: SID,
    accessToken: 'only-tokens-issued-by-the-fake',
    serviceAccountPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  serviceAccountJson = JSON.stringify({
    type: 'service_account',
    client_email: 'influence-item@test-project.iam.gserviceaccount.com',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    token_uri: `${fake.url}/token`,
  });
  // Without YOUTUBE_API_KEY a channel id is validated by its public feed answering.
  feeds = await startYoutubeFeedFake();
  feeds.setChannelFeed('UCkFoodVlogKR01234567890', [], { title: '한식 브이로그' });
  feeds.setChannelFeed('UCcampGearKR0987654321AB', [], { title: '캠핑기어 리뷰' });
  feeds.setChannelFeed('UCiuOfficialKR0000000001', [], { title: '이지금 [IU Official]' });
  db = await createTestDatabase('sheets');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-sheets-'));
  setEnv({
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    APP_ROLE: 'web',
    LOG_LEVEL: 'silent',
    ADMIN_EMAIL: 'sheets@example.com',
    ADMIN_PASSWORD: 'sheets-test-password',
    GOOGLE_SERVICE_ACCOUNT_JSON: serviceAccountJson,
    GOOGLE_API_ROOT_URL: fake.url,
    SHEETS_SPREADSHEET_ID: SID,
    YOUTUBE_FEED_BASE_URL: feeds.url,
    YOUTUBE_API_KEY: undefined,
    SHEETS_IMPORT_SHEET: undefined,
    SHEETS_CHANNELS_SHEET: undefined,
    SHEETS_CANDIDATES_SHEET: undefined,
  });
  configureProvider('sheets', { backoffInitialMs: 20, backoffMaxMs: 50 });
  await startApp();
});

after(async () => {
  resetPolicies();
  await stopApp();
  await db?.drop();
  await fake?.close();
  await feeds?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const IMPORT_SHEET = [
  ['channelId', 'handle', 'name', 'active', '유명인', '별칭', 'lastCheckedAt'],
  ['UCkFoodVlogKR01234567890', '@kfoodvlog', '한식 브이로그', 'TRUE', '', '', '2026-11-25T09:00:00Z'],
  ['UCcampGearKR0987654321AB', '@campgear', '캠핑기어 리뷰', 'FALSE'],
  ['UCiuOfficialKR0000000001', '@dlwlrma', '이지금 [IU Official]', 'TRUE', '아이유', 'IU, 이지은'],
  [],
  ['', '@handleonly', '핸들만 있는 채널', 'TRUE'],
  ['not-a-channel', '', '잘못된 값', 'TRUE'],
  ['UCnoSuchChannelKR0000099', '', '없는 채널', 'TRUE'],
  ['UCkFoodVlogKR01234567890', '@kfoodvlog', '같은 채널 한 번 더', 'TRUE'],
];

const count = async (table: 'channels' | 'celebrities') => Number((await getPool().query(`select count(*)::int as n from ${table}`)).rows[0].n);

test('import twice → the same channels, no duplicates; rows that cannot be imported say why', async () => {
  fake.setSheet('채널목록', IMPORT_SHEET);
  const first = await syncSheets('test');
  assert.equal(first.import.sheet, '채널목록');
  assert.equal(first.import.rows, 7, 'non-empty data rows');
  assert.equal(first.import.created, 3);
  assert.equal(first.import.existing, 1, 'the repeated row in the same sheet');
  assert.deepEqual(first.import.skipped.map((s) => s.row), [6, 7, 8]);
  assert.match(first.import.skipped[0].reason, /YOUTUBE_API_KEY/, 'a handle needs the Data API to be resolved');
  assert.match(first.import.skipped[2].reason, /no feed for channel UCnoSuchChannelKR0000099/);
  assert.equal(await count('channels'), 3);

  const rows = await getDb().select().from(channels).orderBy(channels.id);
  assert.deepEqual(
    rows.map((c) => [c.youtubeChannelId, c.kind, c.status, c.title]),
    [
      ['UCkFoodVlogKR01234567890', 'media', 'active', '한식 브이로그'],
      ['UCcampGearKR0987654321AB', 'media', 'excluded', '캠핑기어 리뷰'],
      ['UCiuOfficialKR0000000001', 'celebrity', 'active', '이지금 [IU Official]'],
    ],
  );
  const [iu] = await getDb().select().from(celebrities).where(eq(celebrities.name, '아이유'));
  assert.deepEqual(iu.aliases, ['IU', '이지은']);
  assert.equal(rows[2].celebrityId, iu.id);

  const second = await syncSheets('test');
  assert.equal(second.import.created, 0);
  assert.equal(second.import.existing, 4);
  assert.equal(second.import.skipped.length, 3);
  assert.equal(await count('channels'), 3);
  assert.equal(await count('celebrities'), 1);

  // The token came from the fake's /token (service-account JWT, signature checked), not from Google.
  assert.ok(fake.tokenRequests.length >= 1);
  assert.equal(fake.tokenRequests[0].claims!.iss, 'influence-item@test-project.iam.gserviceaccount.com');
  assert.ok(fake.requests.some((r) => r.path.includes(encodeURIComponent("'채널목록'")) || r.path.includes("'채널목록'") || r.path.includes('%EC%B1%84')));
});

test('export: channels and approved/published candidates appear in their tabs and are updated in place', async () => {
  const channelTab = fake.getSheet('채널 내보내기')!;
  assert.equal(channelTab[0][0], '채널 ID');
  assert.equal(channelTab.length, 4, 'header + 3 channels, even after two syncs');
  assert.deepEqual(channelTab.slice(1).map((r) => r[0]), ['UCkFoodVlogKR01234567890', 'UCcampGearKR0987654321AB', 'UCiuOfficialKR0000000001']);
  assert.equal(channelTab[3][4], '아이유');
  assert.equal(channelTab[2][5], '제외');

  const [iuChannel] = await getDb().select().from(channels).where(eq(channels.youtubeChannelId, 'UCiuOfficialKR0000000001'));
  const [video] = await getDb()
    .insert(videos)
    .values({ sourceKind: 'youtube', youtubeId: 'aqz-KE-bpKQ', sourceUrl: 'https://www.youtube.com/watch?v=aqz-KE-bpKQ', title: '아이유 아침 루틴', stage: 'done', channelId: iuChannel.id })
    .returning();
  const base = { videoId: video.id, celebrityName: '아이유', channelTitle: '이지금', videoTitle: video.title, videoUrl: video.sourceUrl!, clipStartTime: 20, clipEndTime: 30 };
  const inserted = await getDb()
    .insert(candidates)
    .values([
      { ...base, productKey: 'roundlab-toner', productNameAi: '라운드랩 독도 토너', currentStatus: 'approved', scoreTotal: 82, recommendedHashtags: ['#라운드랩', '#토너'] },
      { ...base, productKey: 'cream', productNameAi: '수분 크림', currentStatus: 'published', scoreTotal: 70 },
      { ...base, productKey: 'pending', productNameAi: '검토 중 제품', currentStatus: 'needs_review', scoreTotal: 90 },
    ])
    .returning();
  const [toner, cream] = inserted;

  const r1 = await syncSheets('test');
  assert.deepEqual(r1.candidates, { sheet: '후보 내보내기', appended: 2, updated: 0, unchanged: 0 });
  let tab = fake.getSheet('후보 내보내기')!;
  assert.equal(tab[0][0], '후보 ID');
  assert.deepEqual(tab.slice(1).map((r) => r[0]), [String(toner.id), String(cream.id)]);
  assert.equal(tab[1][tab[0].indexOf('제품명')], '라운드랩 독도 토너');
  assert.equal(tab[1][tab[0].indexOf('상태')], '승인됨');
  assert.equal(tab[1][tab[0].indexOf('해시태그')], '#라운드랩 #토너');
  assert.equal(r1.channels.unchanged, 3, 'unchanged channels are not rewritten');

  // The operator adds a memo column; the toner is renamed and published; a new candidate is approved.
  tab[0].splice(1, 0, '메모');
  tab.slice(1).forEach((r, i) => r.splice(1, 0, i === 0 ? '릴스 12/1' : ''));
  fake.setSheet('후보 내보내기', tab);
  await getDb().update(candidates).set({ productNameManual: '라운드랩 1025 독도 토너', currentStatus: 'published' }).where(eq(candidates.id, toner.id));
  const [late] = await getDb().insert(candidates).values({ ...base, productKey: 'sunscreen', productNameAi: '선크림', currentStatus: 'approved' }).returning();
  // And the published cream is later rejected: its row stays, with the new status.
  await getDb().update(candidates).set({ currentStatus: 'rejected' }).where(eq(candidates.id, cream.id));

  const r2 = await syncSheets('test');
  assert.deepEqual(r2.candidates, { sheet: '후보 내보내기', appended: 1, updated: 2, unchanged: 0 });
  tab = fake.getSheet('후보 내보내기')!;
  assert.equal(tab.length, 4, 'header + 3 candidates, never duplicated');
  assert.deepEqual(tab.slice(1).map((r) => r[0]), [String(toner.id), String(cream.id), String(late.id)]);
  assert.equal(tab[1][1], '릴스 12/1', 'operator column kept');
  assert.equal(tab[1][tab[0].indexOf('제품명')], '라운드랩 1025 독도 토너');
  assert.equal(tab[1][tab[0].indexOf('상태')], '업로드 완료');
  assert.equal(tab[2][tab[0].indexOf('상태')], '반려');

  const r3 = await syncSheets('test');
  assert.deepEqual(r3.candidates, { sheet: '후보 내보내기', appended: 0, updated: 0, unchanged: 3 });
  assert.equal(fake.getSheet('후보 내보내기')!.length, 4);

  const status = await sheetsStatus();
  assert.equal(status.configured, true);
  assert.equal(status.lastSync?.ok, true);
  assert.equal(status.lastSync?.result?.candidates.unchanged, 3);
});

test('a 429 from Sheets is retried by the policy layer and recorded in api_usage', async () => {
  fake.failNext(429);
  const r = await syncSheets('test');
  assert.equal(r.import.created, 0);
  const { rows } = await getPool().query(`select outcome, http_status from api_usage where provider = 'sheets' and outcome = 'error'`);
  assert.deepEqual(rows.map((x) => [x.outcome, x.http_status]), [['error', 429]]);
});

test('a missing import sheet is a clear error, recorded as a failed sync', async () => {
  setEnv({ SHEETS_IMPORT_SHEET: '없는 시트' });
  try {
    await assert.rejects(syncSheets('test'), (e: unknown) => e instanceof DomainError && e.code === 'bad_request' && /없는 시트/.test(e.message));
    const status = await sheetsStatus();
    assert.equal(status.lastSync?.ok, false);
    assert.match(status.lastSync?.error ?? '', /없는 시트/);
  } finally {
    setEnv({ SHEETS_IMPORT_SHEET: undefined });
  }
});

test('not configured → not_configured naming the variables; the cron job does nothing', async () => {
  setEnv({ GOOGLE_SERVICE_ACCOUNT_JSON: undefined });
  try {
    await assert.rejects(
      syncSheets('test'),
      (e: unknown) => e instanceof DomainError && e.code === 'not_configured' && /GOOGLE_SERVICE_ACCOUNT_JSON/.test(e.message),
    );
    const before = fake.requests.length;
    await sheetsSyncWorker.run({}, { jobId: 't', attempt: 1, isFinalAttempt: false });
    assert.equal(fake.requests.length, before);
    assert.equal((await sheetsStatus()).configured, false);
  } finally {
    setEnv({ GOOGLE_SERVICE_ACCOUNT_JSON: serviceAccountJson });
  }
  setEnv({ GOOGLE_SERVICE_ACCOUNT_JSON: '{"not":"a key"}' });
  try {
    await assert.rejects(syncSheets('test'), (e: unknown) => e instanceof DomainError && e.code === 'not_configured' && /client_email/.test(e.message));
  } finally {
    setEnv({ GOOGLE_SERVICE_ACCOUNT_JSON: serviceAccountJson });
  }
});
