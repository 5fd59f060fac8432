import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INTAKE_REFUSALS } from '@/src/server/videos/intake-plan';
import { expect, signIn, test } from './fixtures';

/**
 * Issue 14, YouTube without a downloader: on a server with no yt-dlp, no Gemini key and no Whisper model, the 분석 요청
 * page says before anything is sent that a YouTube URL cannot be analysed here and what to install or configure, the
 * submitted URL is refused with the same words, and a file without captions is refused in the form before it is sent.
 */
const shared = process.env.SHARED_DIR ?? path.resolve(import.meta.dirname, '..', '..', '..', 'shared');
const MP4 = path.join(shared, 'models', 'fixtures', 'vlog_roundlab_60s.mp4');
const VTT = path.join(import.meta.dirname, '..', 'fixtures', 'upload', 'vlog-ko.vtt');
const nothing = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-e2e-nothing-'));
// a configured yt-dlp that is not there counts as missing, whatever the machine's PATH holds
test.use({ appEnv: { YTDLP_PATH: path.join(nothing, 'yt-dlp'), GEMINI_API_KEY: '', MODELS_DIR: nothing } });

/** The dictionary's text as the page shows it (`identifiers` become <code>). */
const shown = (text: string) => text.replace(/`/g, '');

test('no yt-dlp, no Gemini key, no Whisper: the form says so before sending, and the URL and a file without captions are refused', async ({ page, app }) => {
  const uploads: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/videos/upload')) uploads.push(r.method());
  });
  await signIn(page, app.url);
  await page.getByRole('link', { name: '분석 요청' }).click();

  // Before anything is sent: what happens to a YouTube URL here, and what to install or configure.
  const plan = page.getByTestId('youtube-plan');
  await expect(plan).toHaveAttribute('data-plan', 'refused');
  await expect(plan).toContainText(shown(INTAKE_REFUSALS.youtube));
  await expect(plan.locator('code').filter({ hasText: 'GEMINI_API_KEY' }).first()).toBeVisible();
  await expect(plan.locator('code').filter({ hasText: 'YTDLP_PATH' })).toBeVisible();
  const speech = page.getByTestId('speech-plan');
  await expect(speech).toHaveAttribute('data-plan', 'none');
  await expect(speech).toContainText('자막 파일을 함께 올려야');
  await shoot(page, 'analyze-nothing-installed');

  // The URL is refused by the server with the same words; nothing is registered.
  await page.getByLabel('영상 주소').fill('https://youtu.be/dQw4w9WgXcQ');
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/videos') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '분석 요청' }).click();
  const res = await answer;
  expect(res.status()).toBe(422);
  expect((await res.json()).error.code).toBe('cannot_analyze');
  const refusal = page.locator('form [role="alert"]').filter({ hasText: 'YouTube 영상을 분석할 수 없습니다' });
  await expect(refusal).toContainText(shown(INTAKE_REFUSALS.youtube));
  const list = (await (await page.request.get(`${app.url}/api/v1/videos`)).json()) as { items: unknown[] };
  expect(list.items).toEqual([]);
  await shoot(page, 'analyze-youtube-refused');

  // A file without captions: refused in the form, with the reason, before the file is sent.
  const form = page.getByTestId('upload-form');
  await form.getByLabel('영상 파일').setInputFiles(MP4);
  await form.getByRole('button', { name: '업로드' }).click();
  const captionsNeeded = form.getByRole('alert');
  await expect(captionsNeeded).toContainText(shown(INTAKE_REFUSALS.uploadWithoutCaptions));
  await expect(captionsNeeded).toHaveAttribute('data-field', 'captions');
  expect(uploads, 'the file was not sent').toEqual([]);
  await shoot(page, 'analyze-upload-refused');

  // With captions the same file goes up.
  await form.getByLabel('영상 파일').setInputFiles(MP4);
  await form.getByLabel('자막 파일').setInputFiles(VTT);
  await form.getByRole('button', { name: '업로드' }).click();
  await expect(form.getByRole('status')).toContainText('업로드했습니다', { timeout: 30_000 });
  expect(uploads).toEqual(['POST']);
});

/** Full-page screenshots on a desk and a phone when SHOTS_DIR is set. */
async function shoot(page: import('@playwright/test').Page, name: string) {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  for (const [w, h] of [
    [1440, 900],
    [390, 844],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: path.join(dir, `${name}-${w}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}
