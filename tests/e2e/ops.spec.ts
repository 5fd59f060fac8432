import { test as base, expect } from '@playwright/test';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';
import { startSlackFake, type SlackFake } from '../fakes';

/**
 * 운영 and 설정 in the browser, against the real server with a fake Slack webhook:
 * a budget reached pauses the LLM queues with the reason on the ops page; the budget alert meets a 410 and the ops
 * page says Slack stopped; an API token made under 설정 works once, then stops when revoked.
 */
const ADMIN = { email: 'ops-admin@example.com', password: 'correct-horse-battery' };
const API_TOKEN = 'e2e-ops-token-0123456789abcdef';

type Ctx = { app: TestServer; slack: SlackFake };
const test = base.extend<{}, { ctx: Ctx }>({
  ctx: [
    async ({}, use) => {
      const db = await createTestDatabase('e2eops');
      const slack = await startSlackFake();
      const app = await startServer({
        DATABASE_URL: db.url,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        API_TOKEN,
        SLACK_WEBHOOK_URL: slack.webhookUrl,
      });
      await use({ app, slack });
      await app.stop();
      await slack.close();
      await db.drop();
    },
    { scope: 'worker' },
  ],
});

async function signIn(page: import('@playwright/test').Page, baseUrl: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('이메일').fill(ADMIN.email);
  await page.getByLabel('비밀번호').fill(ADMIN.password);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.waitForURL(`${baseUrl}/`);
}

test('budget reached: 운영 shows the paused LLM queues and why; a 410 from Slack shows as stopped; re-enable', async ({ page, ctx }) => {
  test.setTimeout(120_000);
  const { app, slack } = ctx;
  await signIn(page, app.url);
  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '운영' }).click();
  await expect(page.getByRole('heading', { name: '운영', level: 1 })).toBeVisible();
  await expect(page.getByText('LLM 작업 실행 중')).toBeVisible();

  // The budget alert will meet a webhook that is gone.
  slack.archivedNext();
  const res = await page.request.patch(`${app.url}/api/v1/settings/budgets`, {
    headers: { authorization: `Bearer ${API_TOKEN}` },
    data: { llmDailyUsd: 0 },
  });
  expect(res.status()).toBe(200);

  // The watcher in the worker notices within its period; the page shows the reason and when it resumes.
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByRole('status').filter({ hasText: '일일 LLM 예산 도달' }).count();
      },
      { timeout: 60_000, intervals: [2000] },
    )
    .toBe(1);
  await expect(page.getByRole('status').filter({ hasText: '자동 재개' })).toBeVisible();
  await expect(page.locator('tr[data-queue="video.windows"]')).toContainText('중지됨');
  await expect(page.locator('tr[data-queue="feeds.poll"]')).not.toContainText('중지됨');

  const slackRow = page.locator('tr[data-integration="slack"]');
  await expect.poll(async () => {
    await page.reload();
    return slackRow.textContent();
  }, { timeout: 30_000 }).toContain('웹훅이 사라져 전송을 멈췄습니다 (HTTP 410');
  await expect(slackRow).toContainText('문제 있음');
  const health = await (await page.request.get(`${app.url}/api/health`)).json();
  expect(health.integrations.slack.detail).toContain('HTTP 410');

  await slackRow.getByRole('button', { name: 'Slack 전송 다시 시작' }).click();
  await expect(slackRow).toContainText('정상');
  await expect(slackRow).not.toContainText('웹훅이 사라져');
});

test('설정: create an API token (shown once), use it, revoke it', async ({ page, ctx }) => {
  const { app } = ctx;
  await signIn(page, app.url);
  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '설정' }).click();
  await expect(page.getByRole('heading', { name: '설정', level: 1 })).toBeVisible();
  const tokens = page.getByRole('region', { name: 'API 토큰' });
  await tokens.getByLabel('토큰 이름').fill('grafana');
  await tokens.getByRole('button', { name: '토큰 만들기' }).click();
  const shown = tokens.getByTestId('new-token');
  await expect(shown).toHaveText(/^ii_/);
  const token = (await shown.textContent())!;
  expect((await page.request.get(`${app.url}/api/v1/videos`, { headers: { authorization: `Bearer ${token}` } })).status()).toBe(200);

  await page.reload();
  await expect(page.getByTestId('new-token')).toHaveCount(0);
  const row = page.locator('tr[data-token="grafana"]');
  await expect(row).toContainText(token.slice(0, 10));
  await expect(row.locator('[data-scope]')).toHaveText('읽기'); // least privilege unless another scope is chosen
  await row.getByRole('button', { name: '폐기' }).click();
  await expect(row).toContainText('폐기됨');
  expect((await page.request.get(`${app.url}/api/v1/videos`, { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);

  await expect(page.getByRole('region', { name: '변경 기록' })).toContainText('token.revoke');
  // Settings form: a change is saved and audited.
  const budgets = page.getByRole('form', { name: 'LLM 예산 (USD)' });
  await budgets.getByLabel('월간 한도').fill('123');
  await budgets.getByRole('button', { name: '저장' }).click();
  await expect(budgets.getByRole('status')).toContainText('저장했습니다');
  await page.reload();
  await expect(page.getByRole('form', { name: 'LLM 예산 (USD)' }).getByLabel('월간 한도')).toHaveValue('123');
});
