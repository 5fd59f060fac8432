import { test as base, expect } from '@playwright/test';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';
import { channelFeedFromContract, startYoutubeFeedFake, type YoutubeFeedFake } from '../fakes';
import { ADMIN, API_TOKEN, signIn } from './fixtures';

/** The channel console against a real server whose YouTube feed origin is the feed fake. */
const test = base.extend<{}, { env: { app: TestServer; feed: YoutubeFeedFake } }>({
  env: [
    async ({}, use) => {
      const db = await createTestDatabase('e2e_channels');
      const feed = await startYoutubeFeedFake();
      const app = await startServer({
        DATABASE_URL: db.url,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        API_TOKEN,
        YOUTUBE_FEED_BASE_URL: feed.url,
        FEED_MAX_AGE_DAYS: '3650',
        YOUTUBE_API_KEY: '',
        GOOGLE_API_ROOT_URL: '',
      });
      await use({ app, feed });
      await app.stop();
      await feed.close();
      await db.drop();
    },
    { scope: 'worker' },
  ],
});

test('add a celebrity and a channel, poll now, see its new videos and its feed health', async ({ page, env }) => {
  const { app, feed } = env;
  const contract = channelFeedFromContract();
  feed.setLongFormFeed(contract.channelId, 404);
  feed.setChannelFeed(contract.channelId, contract.entries, { title: contract.title });

  await signIn(page, app.url);
  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '채널' }).click();
  await expect(page.getByRole('heading', { name: '채널', exact: true })).toBeVisible();

  const celebForm = page.getByRole('form', { name: '유명인 추가' });
  await celebForm.getByLabel('이름').fill('김요리');
  await celebForm.getByLabel('별칭 (쉼표로 구분)').fill('Kim Cook, 요리왕');
  await celebForm.getByRole('button', { name: '유명인 추가' }).click();
  await expect(celebForm.getByRole('status')).toContainText('유명인을 추가했습니다');

  // A handle cannot be resolved without a YouTube API key: the reason is shown.
  const channelForm = page.getByRole('form', { name: '채널 추가' });
  await channelForm.getByLabel('채널 주소, @핸들 또는 UC… ID').fill('@kfoodvlog');
  await channelForm.getByLabel('연결할 유명인').selectOption({ label: '김요리' });
  await channelForm.getByRole('button', { name: '채널 추가' }).click();
  await expect(channelForm.getByRole('alert')).toContainText('YOUTUBE_API_KEY');

  await channelForm.getByLabel('채널 주소, @핸들 또는 UC… ID').fill(`https://www.youtube.com/channel/${contract.channelId}`);
  await channelForm.getByRole('button', { name: '채널 추가' }).click();
  await expect(channelForm.getByRole('status')).toContainText('채널을 추가했습니다');

  const row = page.locator('tr[data-channel-id]', { hasText: contract.title });
  await expect(row).toHaveCount(1);
  await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'active');
  await expect(row.locator('[data-last-success]')).toHaveText('아직 없음');

  // One transient 500 of the channel feed before it answers: collected, and the failed attempt is visible.
  feed.script(contract.channelId, [500, 'ok']);
  await row.getByRole('button', { name: '지금 수집' }).click();
  await expect(page.getByRole('status').filter({ hasText: '수집을 요청했습니다' })).toBeVisible();
  await expect(row.locator('[data-video-count]')).toHaveAttribute('data-video-count', '15', { timeout: 30_000 });
  await expect(row.locator('[data-last-success]')).not.toHaveText('아직 없음');
  await expect(row.locator('[data-failures]')).toHaveText('0');
  await expect(row.locator('[data-health]')).toContainText('HTTP 500');
  await expect(row.locator('[data-health]')).toContainText('채널 피드');
  await expect(row).toContainText('15개 (제외 4)');

  await row.getByRole('link', { name: '영상 보기' }).click();
  await expect(page).toHaveURL(/\/videos\?channelId=\d+$/);
  await expect(page.locator('tr[data-video-id]')).toHaveCount(15);
  const short = page.locator('tr[data-video-id]', { hasText: '이 칼 하나면 끝 #shorts' });
  await expect(short.locator('[data-stage]')).toHaveAttribute('data-stage', 'skipped');
  const longForm = page.locator('tr[data-video-id]', { hasText: '10분 완성 김치찌개' });
  await expect(longForm.locator('[data-stage]')).not.toHaveAttribute('data-stage', 'skipped');

  // Through the API the same channel shows its feed health in the documented shape.
  const api = await page.request.get(`${app.url}/api/v1/channels`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
  const body = await api.json();
  expect(body.items[0]).toMatchObject({ youtubeChannelId: contract.channelId, kind: 'celebrity', status: 'active', feed: { consecutiveFailures: 0 } });
  expect(body.items[0].feed.lastSuccessAt).toBeTruthy();
});

test('the channel API refuses bad input with the reason, and duplicates with the existing id', async ({ env }) => {
  const { app, feed } = env;
  const auth = { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' };
  const post = (path: string, body: unknown) => fetch(`${app.url}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });

  const bad = await post('/api/v1/channels', { input: 'https://example.com/foo', kind: 'media' });
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toMatchObject({ code: 'bad_request', field: 'input' });

  const missingFeed = await post('/api/v1/channels', { input: 'UCnoSuchChannel000000000', kind: 'media' });
  const missingBody = await missingFeed.json();
  expect(missingFeed.status, JSON.stringify(missingBody)).toBe(400);

  const noCeleb = await post('/api/v1/channels', { input: channelFeedFromContract().channelId, kind: 'celebrity' });
  expect(noCeleb.status).toBe(400);
  expect((await noCeleb.json()).error.field).toBe('celebrityId');

  const contract = channelFeedFromContract();
  feed.setChannelFeed(contract.channelId, contract.entries, { title: contract.title });
  const list = await (await fetch(`${app.url}/api/v1/channels`, { headers: auth })).json();
  const existing = list.items.find((c: { youtubeChannelId: string }) => c.youtubeChannelId === contract.channelId);
  const dup = await post('/api/v1/channels', { input: contract.channelId, kind: 'media' });
  expect(dup.status).toBe(409);
  const dupBody = await dup.json();
  expect(dupBody.error.code).toBe('conflict');
  expect(dupBody.error.existingId).toBe(existing.id);

  const celeb = await post('/api/v1/celebrities', { name: '김요리', aliases: [] });
  expect(celeb.status).toBe(409);

  const backfill = await post(`/api/v1/channels/${existing.id}/backfill`, { from: '2026-10-01', to: '2026-10-31' });
  expect(backfill.status).toBe(503);
  expect((await backfill.json()).error).toMatchObject({ code: 'not_configured' });
  const discover = await post('/api/v1/channels/discover', { query: '아이유' });
  expect(discover.status).toBe(503);

  const poll = await post('/api/v1/feeds/poll', {});
  expect(poll.status).toBe(202);
  const unauth = await fetch(`${app.url}/api/v1/channels`);
  expect(unauth.status).toBe(401);
});
