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
  // with captions: this server has no speech recognition, and a file without them would be refused before it is sent
  await form.getByLabel('자막 파일').setInputFiles(VTT);
  await form.getByRole('button', { name: '업로드' }).click();
  const alert = form.getByRole('alert').filter({ hasText: '영상으로 읽을 수 없습니다' });
  await expect(alert).toBeVisible();
  await expect(alert).toHaveAttribute('data-field', 'file');

  await page.getByRole('link', { name: '영상 목록에서 보기' }).or(page.getByRole('link', { name: '영상' }).first()).first().click();
  await expect(page.locator('tr', { hasText: '브라우저 업로드' })).toHaveCount(1);
  expect(fs.existsSync(MP4)).toBe(true);

  // The upload is analysed (captions → rule windows → frames/OCR → candidate) and its candidate's clip covers the
  // product card, on screen 20–30 s, longer than the speech about it.
  const videos = (await (await page.request.get(`${app.url}/api/v1/videos`)).json()) as { items: { id: string; title: string }[] };
  const videoId = videos.items.find((v) => v.title === '브라우저 업로드')!.id;
  let candidateId = '';
  await expect(async () => {
    for (const tab of ['needs_review', 'low_score_filtered']) {
      const list = (await (await page.request.get(`${app.url}/api/v1/candidates?videoId=${videoId}&tab=${tab}`)).json()) as { items: { id: string }[] };
      candidateId ||= list.items[0]?.id ?? '';
    }
    expect(candidateId).not.toBe('');
  }).toPass({ timeout: 180_000, intervals: [2000] });
  await page.goto(`${app.url}/candidates/${candidateId}`);
  const player = page.getByRole('region', { name: '클립 재생' });
  const heading = await player.getByRole('heading').innerText();
  const [, from, to] = /클립 (\d+)–(\d+)초/.exec(heading) ?? [];
  expect(Number(from)).toBeLessThanOrEqual(20);
  expect(Number(to)).toBeGreaterThanOrEqual(30);
  await expect(player).toContainText(/제품 화면 노출 (19\.\d|20\.\d)–(29\.\d|30\.\d)초/);
});

test('the Sheets panel says what is missing when Google Sheets is not configured', async ({ page, app }) => {
  await signIn(page, app.url);
  await page.goto(`${app.url}/analyze`);
  const panel = page.getByTestId('sheets-sync');
  await expect(panel).toContainText('GOOGLE_SERVICE_ACCOUNT_JSON');
  await expect(panel.getByRole('button', { name: 'Sheets 동기화' })).toBeDisabled();
});
