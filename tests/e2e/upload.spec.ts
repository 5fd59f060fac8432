import fs from 'node:fs';
import path from 'node:path';
import { expect, signIn, test } from './fixtures';

const shared = process.env.SHARED_DIR ?? path.resolve(import.meta.dirname, '..', '..', '..', 'shared');
const MP4 = path.join(shared, 'models', 'fixtures', 'vlog_roundlab_60s.mp4');
const VTT = path.join(import.meta.dirname, '..', 'fixtures', 'upload', 'vlog-ko.vtt');

test('upload a video with captions from the 분석 요청 page; a fake video is refused with the reason', async ({ page, app }) => {
  await signIn(page, app.url);
  await page.getByRole('link', { name: '분석 요청' }).click();
  const form = page.getByTestId('upload-form');

  await form.getByLabel('영상 파일').setInputFiles(MP4);
  await form.getByLabel('자막 파일').setInputFiles(VTT);
  await form.getByLabel('제목').fill('브라우저 업로드');
  await form.getByRole('button', { name: '업로드' }).click();
  await expect(form.getByRole('status')).toContainText('업로드했습니다', { timeout: 30_000 });
  await expect(form.getByRole('status')).toContainText('60s');

  // The same file and captions again: recognised as the same video.
  await form.getByLabel('영상 파일').setInputFiles(MP4);
  await form.getByLabel('자막 파일').setInputFiles(VTT);
  await form.getByRole('button', { name: '업로드' }).click();
  await expect(form.getByRole('status')).toContainText('이미 등록된 영상');

  await form.getByLabel('영상 파일').setInputFiles({ name: 'notes.mp4', mimeType: 'video/mp4', buffer: Buffer.from('영상이 아닌 텍스트\n'.repeat(30)) });
  await form.getByRole('button', { name: '업로드' }).click();
  const alert = form.getByRole('alert').filter({ hasText: 'notes.mp4' });
  await expect(alert).toBeVisible();
  await expect(alert).toHaveAttribute('data-field', 'file');

  await page.getByRole('link', { name: '영상 목록에서 보기' }).or(page.getByRole('link', { name: '영상' }).first()).first().click();
  await expect(page.locator('tr', { hasText: '브라우저 업로드' })).toHaveCount(1);
  expect(fs.existsSync(MP4)).toBe(true);
});

test('the Sheets panel says what is missing when Google Sheets is not configured', async ({ page, app }) => {
  await signIn(page, app.url);
  await page.goto(`${app.url}/analyze`);
  const panel = page.getByTestId('sheets-sync');
  await expect(panel).toContainText('GOOGLE_SERVICE_ACCOUNT_JSON');
  await expect(panel.getByRole('button', { name: 'Sheets 동기화' })).toBeDisabled();
});
