import fs from 'node:fs';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import pg from 'pg';
import { API_TOKEN, ADMIN, signIn } from './fixtures';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';
import { publish, seedProducts } from '../helpers/link-page';
import { COUPANG_DISCLOSURE } from '@/src/server/analysis/synthesis-copy';

/**
 * The public link-in-bio page in Chromium (issue 16), signed out on a phone: published products newest first with
 * their Coupang button and the disclosure, an approved-only product absent, hostile product names shown as text, Open
 * Graph tags, the short link redirecting and counting, and no cookie at any point. Then the operator's side: the
 * candidate page shows the short link with a copy button.
 */
const SHOTS = process.env.SHOTS_DIR ?? '/work/shots/linkpage';
const XSS = ['<img src=x onerror=alert(1)>', '<script>alert("xss")</script> 틴트', '"><svg onload=alert(document.cookie)>'];
const DEEP = (n: number) => `https://link.coupang.com/a/e2e${n}`;
const PUBLISHED = ['라운드랩 독도 토너', '토리든 다이브인 세럼', ...XSS, '헤라 블랙 쿠션'];

type Ctx = { app: TestServer; pool: pg.Pool; ids: number[]; hidden: string };

const test = base.extend<{}, { ctx: Ctx }>({
  ctx: [
    async ({}, use) => {
      const database = await createTestDatabase('e2e_linkpage');
      const app = await startServer({ DATABASE_URL: database.url, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, API_TOKEN });
      const pool = new pg.Pool({ connectionString: database.url, max: 2 });
      const celebs = ['한소희', '제니', '한소희', '<b>셀럽</b>', '제니', '한소희'];
      const ids = await seedProducts(
        pool,
        path.join(app.dataDir, 'media'),
        PUBLISHED.map((name, i) => ({ name, celebrity: celebs[i], deepLink: DEEP(i), crop: i !== 3, videoTitle: i === 4 ? '<img src=y onerror=alert(2)> 브이로그' : undefined })),
      );
      const hidden = '승인만 된 비공개 제품';
      const [hiddenId] = await seedProducts(pool, path.join(app.dataDir, 'media'), [{ name: hidden, celebrity: '한소희', deepLink: DEEP(99) }]);
      // Published one after another: the last is the newest.
      for (const id of ids) {
        await publish(app.url, API_TOKEN, id);
        await new Promise((r) => setTimeout(r, 20));
      }
      await use({ app, pool, ids: [...ids, hiddenId], hidden });
      await pool.end();
      await app.stop();
      await database.drop();
    },
    { scope: 'worker' },
  ],
});

const clicks = async (ctx: Ctx, id: number) => Number((await ctx.pool.query('SELECT clicks FROM public_links WHERE candidate_id = $1', [id])).rows[0]?.clicks ?? -1);
const slugOf = async (ctx: Ctx, id: number) => String((await ctx.pool.query('SELECT slug FROM public_links WHERE candidate_id = $1', [id])).rows[0].slug);

function watchDialogs(page: Page): string[] {
  const fired: string[] = [];
  page.on('dialog', async (d) => {
    fired.push(d.message());
    await d.dismiss();
  });
  return fired;
}

test.describe('signed out, on a phone (390×844)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('/l lists published products newest first with the deep link and the disclosure; hostile names stay text; OG tags; no cookie', async ({ ctx, page, context }) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const dialogs = watchDialogs(page);
    const res = await page.goto(`${ctx.app.url}/l`);
    expect(res?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/l'); // not sent to /login

    const cards = page.getByTestId('public-product');
    await expect(cards).toHaveCount(PUBLISHED.length);
    const names = await page.getByTestId('product-name').allTextContents();
    expect(names).toEqual([...PUBLISHED].reverse()); // newest first, every payload as literal text
    await expect(page.getByText(ctx.hidden)).toHaveCount(0);
    expect(await page.locator('.lp-item img[src="x"], svg[onload], .lp-item script').count()).toBe(0);

    // Every card: the Coupang button goes through its counting short link, which redirects to the card's deep link.
    for (let i = 0; i < PUBLISHED.length; i++) {
      const id = ctx.ids[PUBLISHED.length - 1 - i];
      const slug = await slugOf(ctx, id);
      await expect(cards.nth(i).getByTestId('buy-link')).toHaveAttribute('href', `/l/p/${slug}`);
      await expect(cards.nth(i).getByTestId('buy-link')).toHaveAttribute('rel', /sponsored/);
      await expect(cards.nth(i)).toContainText(COUPANG_DISCLOSURE);
    }
    await expect(page.getByTestId('disclosure')).toHaveText(COUPANG_DISCLOSURE);
    await expect(page.getByTestId('disclosure')).toBeInViewport();
    // The celebrity and the video each product came from (YouTube at the clip's moment).
    await expect(cards.first()).toContainText('한소희');
    await expect(cards.first().locator('a[href^="https://www.youtube.com/watch?v="]')).toHaveAttribute('href', /&t=20s$/);
    // Crops as thumbnails, served publicly by slug; the product without a crop shows the placeholder.
    const firstImg = cards.first().locator('img');
    await expect(firstImg).toHaveAttribute('src', /^\/l\/p\/[a-z0-9-]+\/image$/);
    expect(await firstImg.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await expect(cards.nth(PUBLISHED.length - 1 - 3).locator('.lp-noimg')).toBeVisible();

    // Open Graph (and nothing internal in the page: no candidate ids, scores or console links).
    const og = async (p: string) => page.locator(`meta[property="og:${p}"]`).getAttribute('content');
    expect(await og('title')).toBe('셀럽 추천템 모아보기');
    expect(await og('type')).toBe('website');
    expect(await og('locale')).toBe('ko_KR');
    expect(await og('url')).toBe(`${ctx.app.url}/l`);
    expect(await og('description')).toBeTruthy();
    expect(await og('image')).toMatch(new RegExp(`^${ctx.app.url}/l/p/[a-z0-9-]+/image$`));
    const html = await page.content();
    expect(html).not.toMatch(/\/candidates\/|score|operator@example\.com/i);

    // Mobile first: nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'l-390x844.png') });
    await page.screenshot({ path: path.join(SHOTS, 'l-390x844-full.png'), fullPage: true });

    // A viewer taps the newest product's button: 302 to Coupang (answered here), one click counted.
    const newest = ctx.ids[PUBLISHED.length - 1];
    await context.route('https://link.coupang.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>쿠팡</title>쿠팡' }));
    expect(await clicks(ctx, newest)).toBe(0);
    await cards.first().getByTestId('buy-link').click();
    await page.waitForURL(DEEP(PUBLISHED.length - 1));
    expect(await clicks(ctx, newest)).toBe(1);
    const direct = await page.request.get(`${ctx.app.url}/l/p/${await slugOf(ctx, newest)}`, { maxRedirects: 0 });
    expect(direct.status()).toBe(302);
    expect(direct.headers()['location']).toBe(DEEP(PUBLISHED.length - 1));
    expect(direct.headers()['set-cookie']).toBeUndefined();
    expect(await clicks(ctx, newest)).toBe(2);
    expect(await clicks(ctx, ctx.ids[0])).toBe(0);

    // One celebrity's page, and an unknown short link: Korean 404.
    await page.goto(`${ctx.app.url}/l/${encodeURIComponent('한소희')}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('한소희의 추천템');
    expect(await page.getByTestId('product-name').allTextContents()).toEqual(['헤라 블랙 쿠션', XSS[0], '라운드랩 독도 토너']);
    await page.screenshot({ path: path.join(SHOTS, 'celebrity-390x844.png'), fullPage: true });
    await page.goto(`${ctx.app.url}/l/${encodeURIComponent('<b>셀럽</b>')}`);
    expect(await page.getByTestId('product-name').allTextContents()).toEqual([XSS[1]]);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('<b>셀럽</b>의 추천템');
    const missing = await page.goto(`${ctx.app.url}/l/p/no-such-link-zz`);
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('찾을 수 없는 링크입니다');
    await page.screenshot({ path: path.join(SHOTS, 'not-found-390x844.png') });

    expect(dialogs).toEqual([]);
    expect(await context.cookies()).toEqual([]);
  });
});

test('the same page on a desktop (1440×900)', async ({ ctx, browser }) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const dialogs = watchDialogs(page);
  await page.goto(`${ctx.app.url}/l`);
  await expect(page.getByTestId('public-product')).toHaveCount(PUBLISHED.length);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
  await page.screenshot({ path: path.join(SHOTS, 'l-1440x900.png') });
  expect(dialogs).toEqual([]);
  expect(await context.cookies()).toEqual([]);
  await context.close();
});

test('the candidate page shows the short link for the caption, with a copy button', async ({ ctx, browser }) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await signIn(page, ctx.app.url);
  const id = ctx.ids[0];
  const slug = await slugOf(ctx, id);
  await page.goto(`${ctx.app.url}/candidates/${id}`);
  const link = page.getByTestId('short-link');
  await expect(link).toHaveText(`${ctx.app.url}/l/p/${slug}`);
  await page.getByRole('button', { name: '짧은 링크 복사' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${ctx.app.url}/l/p/${slug}`);
  await link.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'candidate-short-link-1440x900.png') });
  // An approved (unpublished) candidate has no short link yet.
  await page.goto(`${ctx.app.url}/candidates/${ctx.ids[ctx.ids.length - 1]}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByTestId('short-link')).toHaveCount(0);
  await context.close();
});
