import path from 'node:path';
import { ADMIN, expect, signIn, test } from './fixtures';

// A YouTube URL is accepted where something can analyse it: yt-dlp here (the fake, answering "unavailable").
test.use({ appEnv: { YTDLP_PATH: path.join(import.meta.dirname, '..', 'fakes', 'yt-dlp', 'yt-dlp'), FAKE_YTDLP_FAIL: '1' } });

test('signed-out visitors are sent to the login page', async ({ page, app }) => {
  await page.goto(`${app.url}/videos`);
  await expect(page).toHaveURL(/\/login\?next=%2Fvideos$/);
  await page.goto(`${app.url}/`);
  await expect(page).toHaveURL(`${app.url}/login`);
});

test('a wrong password is refused with a message', async ({ page, app }) => {
  await page.goto(`${app.url}/login`);
  await page.getByLabel('이메일').fill(ADMIN.email);
  await page.getByLabel('비밀번호').fill('wrong-password');
  await page.getByRole('button', { name: '로그인' }).click();
  // (Next's route announcer is also role=alert; look for ours by its text.)
  await expect(page.getByRole('alert').filter({ hasText: '올바르지 않습니다' })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test('sign in, submit a YouTube URL, see it listed and moving, sign out', async ({ page, app }) => {
  await signIn(page, app.url);
  await expect(page.getByRole('navigation', { name: '주 메뉴' })).toContainText('분석 요청');

  await page.getByRole('link', { name: '분석 요청' }).click();
  await page.getByLabel('영상 주소').fill('https://youtu.be/dQw4w9WgXcQ');
  await page.getByRole('button', { name: '분석 요청' }).click();
  await expect(page.getByRole('status')).toContainText('분석을 요청했습니다');

  // The same video again, as a watch URL: recognised as the same one.
  await page.getByLabel('영상 주소').fill('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
  await page.getByRole('button', { name: '분석 요청' }).click();
  await expect(page.getByRole('status')).toContainText('이미 등록된 영상');

  await page.getByRole('link', { name: '영상 보기' }).or(page.getByRole('link', { name: '영상 목록에서 보기' })).click();
  const row = page.locator('tr', { hasText: 'dQw4w9WgXcQ' });
  await expect(row).toHaveCount(1);
  // The worker picks it up: the stage leaves "대기" (queued) without a reload.
  await expect(row.locator('[data-stage]')).not.toHaveAttribute('data-stage', 'queued', { timeout: 20_000 });

  await page.getByRole('button', { name: '로그아웃' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto(`${app.url}/videos`);
  await expect(page).toHaveURL(/\/login/);
});

test('every page carries a nonce Content-Security-Policy, and the console runs under it with no violation', async ({ page, app }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply|frame)/i.test(m.text())) violations.push(m.text());
  });
  const login = await page.goto(`${app.url}/login`);
  const policy = login!.headers()['content-security-policy'] ?? '';
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
  expect(policy).toContain("frame-ancestors 'none'");
  // a fresh nonce per response
  const again = await page.request.get(`${app.url}/login`);
  expect(again.headers()['content-security-policy']).not.toBe(policy);
  // the forms work: sign-in and client navigation need hydrated scripts
  await signIn(page, app.url);
  await page.getByRole('link', { name: '분석 요청' }).click();
  await expect(page.getByLabel('영상 주소')).toBeVisible();
  await page.getByRole('link', { name: '영상' }).first().click();
  await expect(page).toHaveURL(/\/videos/);
  expect(violations).toEqual([]);
});
