import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INTAKE_REFUSALS, planIntake } from '@/src/server/videos/intake-plan';

test('a YouTube URL: yt-dlp downloads it when installed, else Gemini reads the URL, else it is refused', () => {
  const plan = (ytdlp: boolean, gemini: boolean, whisper = false) => planIntake({ ytdlp, gemini, whisper });
  assert.equal(plan(true, true).youtube, 'download');
  assert.equal(plan(true, false).youtube, 'download');
  assert.equal(plan(false, true).youtube, 'gemini_url');
  assert.equal(plan(false, false).youtube, 'refused');
  assert.equal(plan(false, false, true).youtube, 'refused', 'Whisper cannot get a YouTube video');
});

test('speech without captions: local Whisper first, else Gemini, else none (an upload must bring captions)', () => {
  assert.equal(planIntake({ ytdlp: false, gemini: true, whisper: true }).speech, 'whisper');
  assert.equal(planIntake({ ytdlp: false, gemini: true, whisper: false }).speech, 'gemini');
  assert.equal(planIntake({ ytdlp: true, gemini: false, whisper: false }).speech, 'none');
});

test('the refusals are Korean and say what to install or configure', () => {
  assert.match(INTAKE_REFUSALS.youtube, /`yt-dlp`를 설치/);
  assert.match(INTAKE_REFUSALS.youtube, /GEMINI_API_KEY/);
  assert.match(INTAKE_REFUSALS.youtube, /YTDLP_PATH/);
  assert.match(INTAKE_REFUSALS.uploadWithoutCaptions, /자막 파일\(\.vtt, \.srt\)/);
  assert.match(INTAKE_REFUSALS.uploadWithoutCaptions, /models:fetch/);
  assert.match(INTAKE_REFUSALS.uploadWithoutCaptions, /GEMINI_API_KEY/);
});
