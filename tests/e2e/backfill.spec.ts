import { test as base, expect } from '@playwright/test';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';
import { startYoutubeDataFake, type YoutubeDataFake } from '../fakes';
import { ADMIN, API_TOKEN, signIn } from './fixtures';

/** The backfill form and the progress it leaves on the channel, against the YouTube Data API fake. */
const CH = 'UCbackfillE2E0123456789a';
const test = base.extend<{}, { env: { app: TestServer; data: YoutubeDataFake } }>({
  env: [
    async ({}, use) => {
      const db = await createTestDatabase('e2e_backfill');
      const data = await startYoutubeDataFake();
      data.addChannel({ id: CH, handle: '@backfille2e', title: '백필 브라우저 채널', subscriberCount: 12000 });
      // Three uploads in October 2026 (one a Short), one in September outside the range.
      const uploads = [
        { id: 'bfE2Evid001', publishedAt: '2026-10-02T03:00:00Z', duration: 'PT12M' },
        { id: 'bfE2Evid002', publishedAt: '2026-10-05T03:00:00Z', duration: 'PT45S' },
        { id: 'bfE2Evid003', publishedAt: '2026-10-08T03:00:00Z', duration: 'PT20M' },
        { id: 'bfE2Evid004', publishedAt: '2026-09-10T03:00:00Z', duration: 'PT9M' },
      ];
      for (const u of uploads) data.addVideo({ id: u.id, channelId: CH, title: `브이로그 ${u.id}`, publishedAt: u.publishedAt, duration: u.duration, liveBroadcastContent: 'none' });
      const app = await startServer({
        DATABASE_URL: db.url,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        API_TOKEN,
        YOUTUBE_API_KEY: data.apiKey,
        GOOGLE_API_ROOT_URL: data.url,
        TZ: 'Asia/Seoul',
      });
      await use({ app, data });
      await app.stop();
      await data.close();
      await db.drop();
    },
    { scope: 'worker' },
  ],
});

test('request a backfill from the channel page and watch the channel report it done with what it found', async ({ page, env }) => {
  const { app } = env;
  const created = await page.request.post(`${app.url}/api/v1/channels`, {
    headers: { authorization: `Bearer ${API_TOKEN}` },
    data: { input: `https://www.youtube.com/channel/${CH}`, kind: 'media' },
  });
  expect(created.status()).toBe(201);

  await signIn(page, app.url);
  await page.goto(`${app.url}/channels`);
  const form = page.getByRole('form', { name: '기간 백필' });
  await form.getByLabel('채널').selectOption({ label: '백필 브라우저 채널' });
  await form.getByLabel('시작일').fill('2026-10-01');
  await form.getByLabel('종료일').fill('2026-10-31');
  await form.getByRole('button', { name: '백필 요청' }).click();
  await expect(form.getByRole('status')).toContainText('백필을 요청했습니다');

  const row = page.locator('tr[data-channel-id]', { hasText: '백필 브라우저 채널' });
  const status = row.locator('[data-backfill]');
  await expect(status).toHaveAttribute('data-backfill', 'done', { timeout: 30_000 });
  await expect(status).toContainText('백필 완료');
  await expect(status).toContainText('2026-10-01 ~ 2026-10-31'); // the days asked for, whatever the browser's time zone
  await expect(status).toContainText('기간 내 3개, 새로 추가 3개');
  await expect(row.locator('[data-video-count]')).toHaveAttribute('data-video-count', '3');
});
