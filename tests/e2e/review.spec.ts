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
import { schema } from '@/src/server/db';
import { seedDemo } from '@/src/demo/seed-candidates';
import { ffmpegPath } from '@/src/server/media/binaries';

/**
 * The review console in a browser: queue → detail → copy → edit → approve → publish; restoring a filtered candidate
 * with a Coupang link; keyboard-only approve + next + undo; stale edits; AI text as text; local clip looping.
 * Data comes from the demo seed module, written into the test server's own database.
 */
type Ctx = { app: TestServer; db: ReturnType<typeof drizzle<typeof schema>>; uploadId: string; xssId: string };

const test = base.extend<{}, { ctx: Ctx }>({
  ctx: [
    async ({}, use) => {
      const database = await createTestDatabase('e2e_review');
      const app = await startServer({ DATABASE_URL: database.url, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, API_TOKEN });
      const pool = new pg.Pool({ connectionString: database.url, max: 2 });
      const db = drizzle(pool, { schema, casing: 'snake_case' });
      await seedDemo(db, { count: 60 });
      // An uploaded video with a real local file: its candidate plays through /api/media and loops its clip.
      const [video] = await db
        .insert(schema.videos)
        .values({ sourceKind: 'upload', uploadHash: 'e2e-upload', title: '업로드 테스트 영상', stage: 'done', isDemo: false })
        .returning();
      const rel = path.join(String(video.id), 'source.webm');
      const abs = path.join(app.dataDir, 'media', rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      execFileSync(ffmpegPath(), ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=8:size=160x120:rate=10', '-c:v', 'libvpx', '-b:v', '200k', abs]);
      await db.update(schema.videos).set({ mediaPath: rel }).where(sql`id = ${video.id}`);
      const [up] = await db
        .insert(schema.candidates)
        .values({ videoId: video.id, productKey: 'upload:1', productNameAi: '업로드 클립 제품', clipStartTime: 2, clipEndTime: 3.5, scoreTotal: 1, videoTitle: '업로드 테스트 영상' })
        .returning();
      const [xss] = await db
        .insert(schema.candidates)
        .values({ videoId: video.id, productKey: 'xss:1', productNameAi: '<img src=x onerror=alert(1)>', clipStartTime: 1, clipEndTime: 2, scoreTotal: 0, recommendedTitles: ['<b>굵게</b>'] })
        .returning();
      await use({ app, db, uploadId: String(up.id), xssId: String(xss.id) });
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

test('queue by score → open top → clip embed → copy titles → edit name → approve → 승인됨 → published; history and golden pair', async ({ page, ctx }) => {
  const { app } = ctx;
  await signIn(page, app.url);
  await expect(page.getByRole('link', { name: /수익화 가능 후보/ })).toHaveAttribute('aria-current', 'page');
  const rows = page.locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const scores = await rows.locator('td.score').allInnerTexts();
  const nums = scores.map(Number);
  expect(nums).toEqual([...nums].sort((a, b) => b - a));

  await rows.first().locator('td.product a').click();
  await page.waitForURL(/\/candidates\/\d+/);
  const id = idFromUrl(page.url());
  const c = await getCandidate(page, app.url, id);
  expect(c.candidate_info.score_details.total).toBe(nums[0]);

  const src = await page.locator('iframe[title="YouTube 플레이어 (클립 구간 반복)"]').getAttribute('src');
  const yt = c.source_info.youtube_id;
  expect(src).toBe(
    `https://www.youtube-nocookie.com/embed/${yt}?start=${Math.floor(c.candidate_info.clip_start_time)}&end=${Math.ceil(c.candidate_info.clip_end_time)}&loop=1&playlist=${yt}`,
  );

  await page.getByRole('button', { name: '추천 제목 복사' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('복사했습니다');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(c.candidate_info.recommended_titles.join('\n'));

  await page.getByRole('button', { name: /편집/ }).click();
  await page.getByLabel('제품명 (수정)').fill('라운드랩 1025 독도 토너 500ml');
  await page.getByRole('button', { name: '저장' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('저장했습니다');
  await expect(page.getByTestId('product-name')).toHaveText('라운드랩 1025 독도 토너 500ml');

  await page.getByRole('button', { name: /^승인/ }).click();
  await page.waitForURL((u) => /\/candidates\/\d+/.test(u.pathname) && idFromUrl(u.toString()) !== id);

  await page.goto(`${app.url}/?tab=approved`);
  const row = page.locator('tbody tr', { hasText: '라운드랩 1025 독도 토너 500ml' });
  await expect(row).toHaveCount(1);
  await row.locator('td.product a').click();
  await page.waitForURL(new RegExp(`/candidates/${id}`));
  await page.getByRole('button', { name: /업로드 완료 표시/ }).click();
  await expect.poll(async () => (await getCandidate(page, app.url, id)).status_info.current_status).toBe('published');

  await page.goto(`${app.url}/candidates/${id}`);
  const history = page.getByRole('list', { name: '변경 이력' });
  await expect(history.locator('li')).toHaveCount(3);
  await expect(history).toContainText('수정');
  await expect(history).toContainText('검토 대기 → 승인됨');
  await expect(history).toContainText('승인됨 → 업로드 완료');
  await expect(history).toContainText(ADMIN.email);

  const golden = await page.request.get(`${app.url}/api/v1/golden.jsonl`);
  expect(golden.status()).toBe(200);
  const lines = (await golden.text()).trim().split('\n').map((l) => JSON.parse(l));
  const pair = lines.find((l) => l.candidate_id === id && l.field === 'product_name');
  expect([pair.model, pair.human]).toEqual([c.candidate_info.product_name_ai, '라운드랩 1025 독도 토너 500ml']);
});

test('a filtered candidate gets a Coupang link and is back in needs_review with it', async ({ page, ctx }) => {
  const { app } = ctx;
  await signIn(page, app.url);
  await page.getByRole('link', { name: /수익화 필터링/ }).click();
  await page.waitForURL(/tab=filtered_no_coupang/);
  await page.locator('tbody tr').first().locator('td.product a').click();
  await page.waitForURL(/\/candidates\/\d+/);
  const id = idFromUrl(page.url());
  await page.getByLabel('쿠팡 상품 URL').fill('https://example.com/not-coupang');
  await page.getByRole('button', { name: '링크 연결 후 검토 대기로 복원' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('coupang.com');
  await page.getByLabel('쿠팡 상품 URL').fill('https://www.coupang.com/vp/products/7654321?itemId=1');
  await page.getByRole('button', { name: '링크 연결 후 검토 대기로 복원' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('링크를 연결했습니다');
  await expect(page.locator('.rv-head [data-status]')).toHaveAttribute('data-status', 'needs_review');
  await expect(page.getByTestId('coupang-link')).toHaveAttribute('href', 'https://www.coupang.com/vp/products/7654321?itemId=1');
  await expect(page.getByRole('list', { name: '변경 이력' })).toContainText('쿠팡 미매칭 → 검토 대기');
  const c = await getCandidate(page, app.url, id);
  expect([c.status_info.current_status, c.monetization_info.coupang_url_manual]).toEqual(['needs_review', 'https://www.coupang.com/vp/products/7654321?itemId=1']);
});

test('keyboard only: open, approve and move to the next; undo restores the previous state', async ({ page, ctx }) => {
  const { app } = ctx;
  await signIn(page, app.url);
  await expect(page.locator('.rv-bar[data-ready]')).toBeAttached();
  await page.keyboard.press('j');
  await expect(page.locator('tbody tr').nth(1)).toHaveClass(/active/);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/candidates\/\d+/);
  const first = idFromUrl(page.url());
  await expect(page.locator(`[data-ready="${first}"]`)).toBeAttached();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: '단축키 도움말' })).toContainText('승인');
  await page.keyboard.press('Escape');
  await page.keyboard.press('a');
  await page.waitForURL((u) => idFromUrl(u.toString()) !== first && /\/candidates\/\d+/.test(u.pathname));
  expect((await getCandidate(page, app.url, first)).status_info.current_status).toBe('approved');
  const second = idFromUrl(page.url());
  await expect(page.locator(`[data-ready="${second}"]`)).toBeAttached();
  await page.keyboard.press('u');
  await page.waitForURL(new RegExp(`/candidates/${first}`));
  await expect(page.locator('.rv-head [data-status]')).toHaveAttribute('data-status', 'needs_review');
  expect((await getCandidate(page, app.url, first)).status_info.current_status).toBe('needs_review');
  await expect(page.getByRole('list', { name: '변경 이력' })).toContainText('되돌리기');
});

test('two operators: a stale edit is refused with a clear message', async ({ page, ctx }) => {
  const { app } = ctx;
  await signIn(page, app.url);
  await page.locator('tbody tr').nth(2).locator('td.product a').click();
  await page.waitForURL(/\/candidates\/\d+/);
  const id = idFromUrl(page.url());
  const c = await getCandidate(page, app.url, id);
  const other = await page.request.patch(`${app.url}/api/v1/candidates/${id}`, { headers: auth, data: { version: c.version, hook_sentence: '다른 운영자' } });
  expect(other.status()).toBe(200);
  await page.getByRole('button', { name: /편집/ }).click();
  await page.getByLabel('제품명 (수정)').fill('내 수정');
  await page.getByRole('button', { name: '저장' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('다른 운영자가 이 후보를 먼저 수정했습니다');
  await page.getByRole('button', { name: '새로고침' }).click();
  await expect(page.getByText('다른 운영자', { exact: true })).toBeVisible();
});

test('AI text is rendered as text, never as HTML', async ({ page, ctx }) => {
  const { app } = ctx;
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await signIn(page, app.url);
  await page.goto(`${app.url}/candidates/${ctx.xssId}`);
  await expect(page.getByTestId('product-name')).toHaveText('<img src=x onerror=alert(1)>');
  await expect(page.getByText('<b>굵게</b>')).toBeVisible();
  await page.goto(`${app.url}/?tab=needs_review&sort=score&order=asc`);
  await expect(page.locator('td.product a', { hasText: '<img src=x onerror=alert(1)>' })).toBeVisible();
  expect(await page.locator('main img[src="x"]').count()).toBe(0);
  expect(dialogs).toBe(0);
});

test('an uploaded video plays the local file from the clip start and loops the window', async ({ page, ctx }) => {
  const { app } = ctx;
  await signIn(page, app.url);
  await page.goto(`${app.url}/candidates/${ctx.uploadId}`);
  await expect(page.locator(`[data-ready="${ctx.uploadId}"]`)).toBeAttached();
  const video = page.getByLabel('업로드 영상 (클립 구간 반복)');
  await expect(video).toHaveAttribute('src', /\/api\/media\/\d+\/source\.webm$/);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState >= 1 && Math.abs(v.currentTime - 2) < 0.3), { timeout: 15_000 }).toBe(true);
  await page.keyboard.press(' ');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => Number(v.dataset.loops)), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  const t = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  expect(t).toBeGreaterThanOrEqual(1.9);
  expect(t).toBeLessThanOrEqual(3.6);
});
