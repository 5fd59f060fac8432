import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { API_TOKEN, ADMIN, signIn } from './fixtures';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';
import { startCoupangFake } from '../fakes/coupang/server';
import { schema } from '@/src/server/db';
import { seedDemo } from '@/src/demo/seed-candidates';
import { captionSummary, hookSentence, recommendedHashtags, recommendedTitles, type CopyInput } from '@/src/server/analysis/synthesis-copy';
import { ffmpegPath } from '@/src/server/media/binaries';

/**
 * Issue 14, the candidate review console as a new operator meets it in the first week: clip times with the
 * analysis's precision can be saved (Korean validation), `a` on a low-score candidate, renaming a product updates the
 * generated copy, particles resolved, the per-candidate Coupang search, and the list's operator features
 * (thumbnails, progress, bulk actions over the whole filter with a confirmation, archive shortcut, help overlay,
 * saved views, CSV export).
 */
type Db = ReturnType<typeof drizzle<typeof schema>>;
type Ctx = { app: TestServer; db: Db; videoId: number };

const test = base.extend<{}, { ctx: Ctx }>({
  ctx: [
    async ({}, use) => {
      const database = await createTestDatabase('e2e_firstweek');
      const app = await startServer({ DATABASE_URL: database.url, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, API_TOKEN });
      const pool = new pg.Pool({ connectionString: database.url, max: 2 });
      const db = drizzle(pool, { schema, casing: 'snake_case' });
      await seedDemo(db, { count: 60 });
      const [video] = await db
        .insert(schema.videos)
        .values({ sourceKind: 'youtube', youtubeId: 'fw000000001', title: '제니의 아침 루틴', stage: 'done', isDemo: false })
        .returning();
      await use({ app, db, videoId: video.id });
      await pool.end();
      await app.stop();
      await database.drop();
    },
    { scope: 'worker' },
  ],
});

const auth = { authorization: `Bearer ${API_TOKEN}` };
async function getCandidate(page: Page, base: string, id: string) {
  const res = await page.request.get(`${base}/api/v1/candidates/${id}`, { headers: auth });
  expect(res.status()).toBe(200);
  return res.json();
}
const idFromUrl = (url: string) => /\/candidates\/(\d+)/.exec(url)?.[1] ?? '';

let seq = 0;
async function insertCandidate(ctx: Ctx, values: Partial<typeof schema.candidates.$inferInsert>): Promise<string> {
  const [row] = await ctx.db
    .insert(schema.candidates)
    .values({
      videoId: ctx.videoId,
      productKey: `fw:${++seq}:${Math.random()}`,
      productNameAi: '테스트 제품',
      clipStartTime: 10,
      clipEndTime: 20,
      scoreTotal: 55,
      celebrityName: '제니',
      channelTitle: '제니 공식 채널',
      videoTitle: '제니의 아침 루틴',
      videoUrl: 'https://www.youtube.com/watch?v=fw000000001',
      isDemo: false,
      ...values,
    })
    .returning({ id: schema.candidates.id });
  return String(row.id);
}

async function openDetail(page: Page, base: string, id: string) {
  await page.goto(`${base}/candidates/${id}`);
  await expect(page.locator(`[data-ready="${id}"]`)).toBeAttached();
}

test('clip times written by the analysis (30.125 / 35.75) can be saved; validation speaks Korean', async ({ page, ctx }) => {
  const { app } = ctx;
  const id = await insertCandidate(ctx, { clipStartTime: 30.125, clipEndTime: 35.75, hookSentence: '원래 훅' });
  await signIn(page, app.url);
  await openDetail(page, app.url, id);
  await page.getByRole('button', { name: /편집/ }).click();
  await page.getByRole('form', { name: '편집' }).getByLabel('훅 문장').fill('새 훅 문장');
  await page.getByRole('button', { name: '저장' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('저장했습니다');
  const saved = await getCandidate(page, app.url, id);
  expect([saved.candidate_info.hook_sentence, saved.candidate_info.clip_start_time, saved.candidate_info.clip_end_time]).toEqual(['새 훅 문장', 30.125, 35.75]);

  // An end before the start: refused in Korean, on the field that is wrong, and nothing is sent.
  await page.getByRole('button', { name: /편집/ }).click();
  const end = page.getByLabel('클립 끝 (초)');
  await end.fill('12.5');
  await page.getByRole('button', { name: '저장' }).click();
  const form = page.getByRole('form', { name: '편집' });
  await expect(form.getByRole('alert')).toContainText('클립 끝은 클립 시작보다 뒤여야 합니다');
  await expect(end).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('클립 시작 (초)')).not.toHaveAttribute('aria-invalid', 'true');
  expect(await end.evaluate((el: HTMLInputElement) => el.validationMessage)).toBe('');
  await end.fill('abc');
  await page.getByLabel('클립 시작 (초)').fill('-1');
  await page.getByRole('button', { name: '저장' }).click();
  await expect(form.getByRole('alert').first()).toContainText(/0초 이상|숫자/);
  expect((await getCandidate(page, app.url, id)).version).toBe(saved.version);
});

test('`a` on a 낮은 점수 candidate approves it (through 검토 대기); where `a` cannot approve it says why, in Korean', async ({ page, ctx }) => {
  const { app } = ctx;
  const low = await insertCandidate(ctx, { productNameAi: '낮은 점수 제품 하나', scoreTotal: 12, currentStatus: 'low_score_filtered' });
  const ppl = await insertCandidate(ctx, { productNameAi: 'PPL 제품 하나', scoreTotal: 70, currentStatus: 'high_ppl_risk', isPpl: true, pplConfidence: 0.9 });
  const filtered = await insertCandidate(ctx, { productNameAi: '미매칭 제품 하나', scoreTotal: 70, currentStatus: 'filtered_no_coupang' });
  await signIn(page, app.url);

  await page.goto(`${app.url}/candidates/${low}?tab=low_score_filtered`);
  await expect(page.locator(`[data-ready="${low}"]`)).toBeAttached();
  await expect(page.getByRole('button', { name: /^승인/ })).toBeVisible();
  await page.keyboard.press('a');
  await expect.poll(async () => (await getCandidate(page, app.url, low)).status_info.current_status).toBe('approved');
  const events = await (await page.request.get(`${app.url}/api/v1/candidates/${low}/events`, { headers: auth })).json();
  expect(events.items.filter((e: { kind: string }) => e.kind === 'transition').map((e: { fromStatus: string; toStatus: string }) => `${e.fromStatus}>${e.toStatus}`)).toEqual([
    'low_score_filtered>needs_review',
    'needs_review>approved',
  ]);

  await openDetail(page, app.url, ppl);
  await page.keyboard.press('a');
  await expect(page.getByRole('main').getByRole('alert')).toContainText('PPL 의심 후보는 바로 승인할 수 없습니다');
  expect((await getCandidate(page, app.url, ppl)).status_info.current_status).toBe('high_ppl_risk');

  await openDetail(page, app.url, filtered);
  await page.keyboard.press('a');
  await expect(page.getByRole('main').getByRole('alert')).toContainText('쿠팡 링크를 먼저 연결');
  expect((await getCandidate(page, app.url, filtered)).status_info.current_status).toBe('filtered_no_coupang');
});

test('renaming a product updates the generated copy (copy button copies the new name); copy the operator wrote is kept', async ({ page, ctx }) => {
  const { app } = ctx;
  const input: CopyInput = {
    celebrityName: '제니',
    videoTitle: '제니의 아침 루틴',
    productName: '독도 토너',
    categoryPath: '뷰티 > 스킨케어 > 토너',
    features: ['자극이 없어요'],
    hookQuote: null,
    brandHangul: null,
  };
  const id = await insertCandidate(ctx, {
    productNameAi: '독도 토너',
    categoryPath: input.categoryPath,
    hookSentence: hookSentence(input),
    summaryForCaption: captionSummary(input),
    recommendedTitles: [recommendedTitles(input)[0], '독도 토너를 세 통째 쓰는 이유', recommendedTitles(input)[2]],
    recommendedHashtags: recommendedHashtags(input),
  });
  await signIn(page, app.url);
  await openDetail(page, app.url, id);
  await page.getByRole('button', { name: /편집/ }).click();
  await page.getByLabel('제품명 (수정)').fill('라운드랩 자작나무 수분 크림');
  await page.getByRole('button', { name: '저장' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('저장했습니다');
  const c = (await getCandidate(page, app.url, id)).candidate_info;
  const copy = [c.hook_sentence, c.summary_for_caption, ...c.recommended_titles].join('\n');
  expect(copy).not.toContain('독도 토너');
  expect(c.hook_sentence).toContain('라운드랩 자작나무 수분 크림');
  expect(c.summary_for_caption).toContain('라운드랩 자작나무 수분 크림');
  expect(c.recommended_titles).toContain('라운드랩 자작나무 수분 크림을 세 통째 쓰는 이유');
  expect(c.recommended_hashtags).toContain('#라운드랩자작나무수분크림');
  expect(c.recommended_hashtags).not.toContain('#독도토너');
  await page.getByRole('button', { name: '캡션 복사' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('복사했습니다');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('라운드랩 자작나무 수분 크림');

  // The operator writes the caption; a later rename updates the rest and leaves the caption as written.
  await page.getByRole('button', { name: /편집/ }).click();
  await page.getByRole('form', { name: '편집' }).getByLabel(/^캡션/).fill('직접 쓴 캡션: 라운드랩 자작나무 수분 크림 최고');
  await page.getByRole('button', { name: '저장' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('저장했습니다');
  await page.getByRole('button', { name: /편집/ }).click();
  await page.getByLabel('제품명 (수정)').fill('라운드랩 선크림');
  await page.getByRole('button', { name: '저장' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('직접 수정한 캡션');
  const d = (await getCandidate(page, app.url, id)).candidate_info;
  expect(d.summary_for_caption.startsWith('직접 쓴 캡션: 라운드랩 자작나무 수분 크림 최고')).toBe(true);
  expect(d.hook_sentence).toContain('라운드랩 선크림');
  expect(d.recommended_titles).toContain('라운드랩 선크림을 세 통째 쓰는 이유');
});

test('generated copy never carries an unresolved particle such as 제니이(가)', async ({ page, ctx }) => {
  const { app } = ctx;
  const seen: string[] = [];
  for (const tab of ['needs_review', 'filtered_no_coupang', 'high_ppl_risk', 'low_score_filtered', 'approved', 'published', 'rejected', 'under_revision']) {
    const res = await page.request.get(`${app.url}/api/v1/candidates?tab=${tab}&demo=yes&limit=100`, { headers: auth });
    const body = await res.json();
    for (const c of body.items) seen.push(c.candidate_info.hook_sentence ?? '', c.candidate_info.summary_for_caption ?? '', ...c.candidate_info.recommended_titles);
  }
  expect(seen.length).toBeGreaterThan(60);
  const unresolved = seen.filter((s) => /\((이|가|을|를|은|는|와|과|으)\)|[가-힣](이가|을를|은는)\b/.test(s));
  expect(unresolved).toEqual([]);
  // A name without a final consonant takes 가, one with it takes 이.
  expect(seen.filter((s) => /제니이 /.test(s) || /한소희이 |김고은가 /.test(s))).toEqual([]);
});

test('Coupang search for one candidate: a clear Korean reason when Coupang is not configured', async ({ page, ctx }) => {
  const { app } = ctx;
  const id = await insertCandidate(ctx, { productNameAi: '라운드랩 독도 토너', scoreTotal: 30, coupangSearchStatus: 'deferred' });
  await signIn(page, app.url);
  await openDetail(page, app.url, id);
  await page.getByRole('button', { name: '쿠팡에서 상품 찾기' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('쿠팡 파트너스가 설정되지 않아');
});

test('Coupang search for one candidate: with Coupang configured the match and its link are shown', async ({ page }) => {
  const keys = { accessKey: 'fw-access-key', secretKey: 'fw-secret-key' };
  const coupang = await startCoupangFake(keys);
  coupang.setProducts('라운드랩 독도 토너', [
    { productName: '라운드랩 1025 독도 토너 500ml', productId: 777001, productPrice: 18900, productImage: 'https://image.example/toner.jpg', productUrl: 'https://www.coupang.com/vp/products/777001' },
  ]);
  const database = await createTestDatabase('e2e_firstweek_cp');
  const app = await startServer({
    DATABASE_URL: database.url,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    API_TOKEN,
    COUPANG_ACCESS_KEY: keys.accessKey,
    COUPANG_SECRET_KEY: keys.secretKey,
    COUPANG_BASE_URL: coupang.url,
  });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    const db = drizzle(pool, { schema, casing: 'snake_case' });
    const [video] = await db.insert(schema.videos).values({ sourceKind: 'youtube', youtubeId: 'fw000000002', title: '영상', stage: 'done' }).returning();
    const id = await insertCandidate({ app, db, videoId: video.id }, { productNameAi: '라운드랩 독도 토너', scoreTotal: 30, coupangSearchStatus: 'deferred' });
    await signIn(page, app.url);
    await openDetail(page, app.url, id);
    await page.getByRole('button', { name: '쿠팡에서 상품 찾기' }).click();
    await expect(page.getByRole('main').getByRole('status')).toContainText('쿠팡 상품을 찾았습니다');
    await expect(page.getByRole('region', { name: '쿠팡 상품' })).toContainText('라운드랩 1025 독도 토너 500ml');
    await expect(page.getByTestId('coupang-link')).toBeVisible();
  } finally {
    await pool.end();
    await app.stop();
    await database.drop();
    await coupang.close();
  }
});

test('the list shows product thumbnails and "n of N reviewed"', async ({ page, ctx }) => {
  const { app } = ctx;
  const rel = path.join(String(ctx.videoId), 'crops', 'fw-crop.png');
  const abs = path.join(app.dataDir, 'media', rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  execFileSync(ffmpegPath(), ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=64x64', '-frames:v', '1', abs]);
  const id = await insertCandidate(ctx, {
    productNameAi: '썸네일 있는 제품',
    scoreTotal: 99,
    evidence: { transcriptSpan: [], frameTimestamps: [], ocrLines: [], detections: [], cropPath: rel, framePaths: [], otherWindows: [] },
  });
  await signIn(page, app.url);
  const row = page.locator(`tr[data-candidate-id="${id}"]`);
  const img = row.locator('td.thumb img');
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(64);
  // Rows without a crop keep the column with a placeholder, so the table does not jump.
  await expect(page.locator('tbody tr').nth(1).locator('td.thumb')).toBeAttached();

  const counts = (await (await page.request.get(`${app.url}/api/v1/candidates?counts=1&limit=1`, { headers: auth })).json()).counts;
  const total = Object.values(counts as Record<string, number>).reduce((a, b) => a + b, 0);
  const reviewed = counts.approved + counts.published + counts.rejected + counts.under_revision;
  const progress = page.getByTestId('review-progress');
  await expect(progress).toContainText(`${reviewed} / ${total}`);
  await expect(progress.getByRole('progressbar')).toHaveAttribute('aria-valuenow', String(reviewed));
});

test('bulk actions over the whole filtered result (not only the page), with a confirmation showing the count', async ({ page, ctx }) => {
  const { app } = ctx;
  for (let i = 0; i < 57; i++) await insertCandidate(ctx, { productNameAi: `일괄보관 제품 ${i}`, scoreTotal: 20 + (i % 30), currentStatus: 'high_ppl_risk', isPpl: true, pplConfidence: 0.8 });
  await signIn(page, app.url);
  await page.goto(`${app.url}/?tab=high_ppl_risk&q=${encodeURIComponent('일괄보관')}`);
  await expect(page.locator('.rv-bar[data-ready]')).toBeAttached();
  await expect(page.locator('tbody tr')).toHaveCount(50);
  await page.getByLabel('이 페이지 모두 선택').check();
  await page.getByRole('button', { name: '필터에 맞는 후보 57개 모두 선택' }).click();
  await expect(page.locator('.rv-bar')).toContainText('57개 선택됨');
  // PPL 의심: the actions of that tab (restore, archive); approve is not offered there.
  await expect(page.getByRole('button', { name: '선택 승인' })).toHaveCount(0);
  await page.getByRole('button', { name: '선택 보관' }).click();
  const dialog = page.getByRole('dialog', { name: '일괄 작업 확인' });
  await expect(dialog).toContainText('57개');
  await dialog.getByLabel('사유').fill('광고 영상');
  await dialog.getByRole('button', { name: '실행' }).click();
  await expect(page.locator('.rv-bar')).toContainText('57개 처리됨');
  const archived = await (await page.request.get(`${app.url}/api/v1/candidates?tab=rejected&q=${encodeURIComponent('일괄보관')}&limit=100`, { headers: auth })).json();
  expect(archived.items.length).toBe(57);
  expect(archived.items.every((c: { status_info: { current_status: string } }) => c.status_info.current_status === 'archived')).toBe(true);

  // 승인됨: a selection can be marked published, after confirming.
  await page.goto(`${app.url}/?tab=approved`);
  await expect(page.locator('.rv-bar[data-ready]')).toBeAttached();
  const first = page.locator('tbody tr').first();
  const firstId = (await first.getAttribute('data-candidate-id'))!;
  await first.getByRole('checkbox').check();
  await page.getByRole('button', { name: '선택 업로드 완료' }).click();
  await expect(page.getByRole('dialog', { name: '일괄 작업 확인' })).toContainText('1개');
  await page.getByRole('dialog', { name: '일괄 작업 확인' }).getByRole('button', { name: '실행' }).click();
  await expect(page.locator('.rv-bar')).toContainText('1개 처리됨');
  expect((await getCandidate(page, app.url, firstId)).status_info.current_status).toBe('published');
});

test('archive shortcut `b`, and every shortcut in the help overlay', async ({ page, ctx }) => {
  const { app } = ctx;
  const id = await insertCandidate(ctx, { productNameAi: '보관할 제품', currentStatus: 'low_score_filtered', scoreTotal: 5 });
  await signIn(page, app.url);
  await expect(page.locator('.rv-bar[data-ready]')).toBeAttached();
  await page.keyboard.press('?');
  const listHelp = page.getByRole('dialog', { name: '단축키 도움말' });
  for (const key of ['j / k', 'Enter', 'x', 'u', '?', 'Esc']) await expect(listHelp.locator('kbd', { hasText: new RegExp(`^${key.replace(/[?/]/g, '\\$&')}$`) })).toHaveCount(1);
  await page.keyboard.press('Escape');

  await openDetail(page, app.url, id);
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: '단축키 도움말' });
  for (const key of ['a', 'r', 'b', 'n', 'e', 'p', 'j / k', 'space', 'c', 'u', '?', 'Esc']) {
    await expect(help.locator('kbd', { hasText: new RegExp(`^${key.replace(/[?/]/g, '\\$&')}$`) })).toHaveCount(1);
  }
  await expect(help).toContainText('보관');
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  const reason = page.getByLabel('보관 사유');
  await expect(reason).toBeFocused();
  await reason.fill('관련 없는 제품');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await getCandidate(page, app.url, id)).status_info.current_status).toBe('archived');
});

test('saved views: the view is the URL, can be saved under a name and opened again', async ({ page, ctx }) => {
  const { app } = ctx;
  await signIn(page, app.url);
  await page.goto(`${app.url}/?tab=low_score_filtered&sort=created&order=asc&scoreMax=50`);
  await expect(page.locator('.rv-bar[data-ready]')).toBeAttached();
  await page.getByRole('button', { name: '현재 보기 저장' }).click();
  await page.getByLabel('보기 이름').fill('낮은 점수 오래된 순');
  await page.getByLabel('보기 이름').press('Enter');
  const saved = page.getByRole('navigation', { name: '저장된 보기' });
  await expect(saved.getByRole('link', { name: '낮은 점수 오래된 순' })).toBeVisible();
  await page.goto(`${app.url}/`);
  await page.getByRole('navigation', { name: '저장된 보기' }).getByRole('link', { name: '낮은 점수 오래된 순' }).click();
  await page.waitForURL(/tab=low_score_filtered/);
  const url = new URL(page.url());
  expect([url.searchParams.get('sort'), url.searchParams.get('order'), url.searchParams.get('scoreMax')]).toEqual(['created', 'asc', '50']);
  await expect(page.getByLabel('최대 점수')).toHaveValue('50');
});

test('CSV export of the current view: every row of the filter, UTF-8 with BOM, Korean headers', async ({ page, ctx }) => {
  const { app } = ctx;
  for (let i = 0; i < 55; i++) await insertCandidate(ctx, { productNameAi: `내보내기 제품 ${i}, "따옴표"`, scoreTotal: 40 + (i % 50) });
  await signIn(page, app.url);
  await page.goto(`${app.url}/?q=${encodeURIComponent('내보내기 제품')}&sort=score&order=asc`);
  await expect(page.locator('.rv-bar[data-ready]')).toBeAttached();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV 내보내기' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const bytes = fs.readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  const rows = parseCsv(text);
  expect(rows[0]).toContain('후보 ID');
  expect(rows[0]).toContain('제품명');
  expect(rows.length).toBe(56);
  expect(text).toContain('"내보내기 제품 0, ""따옴표"""');
  // Sorted as the view: score ascending; every row is one of the filter's.
  const name = rows[0].indexOf('제품명');
  const score = rows[0].indexOf('점수');
  expect(rows.slice(1).every((r) => r[name].startsWith('내보내기 제품'))).toBe(true);
  const scores = rows.slice(1).map((r) => Number(r[score]));
  expect(scores).toEqual([...scores].sort((a, b) => a - b));
  expect(scores[0]).toBe(40);
});

/** RFC 4180 rows (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}
