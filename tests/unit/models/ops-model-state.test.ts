import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modelName, modelStateText } from '@/app/(console)/ops/model-state';
import type { HealthModel } from '@/src/server/ops/health';

/** What the 운영 page says for each model state (from /api/health's `models`). */
const m = (over: Partial<HealthModel>): HealthModel => ({ name: 'yolox-nano', present: false, missing: [], state: 'missing', ...over });
const at = new Date().toISOString();
/** File names and settings are marked `like this` for the console to show as code. */
const plain = (s: string | undefined) => s?.replace(/`/g, '');

test('downloading shows the percent (or MB while the size is unknown), the file and who downloads', () => {
  const progress = { file: 'yolox_nano.onnx', fileIndex: 1, fileCount: 1, bytesDone: 1_600_000, bytesTotal: 3_800_000, percent: 42 };
  assert.equal(`${modelName('yolox-nano').split(' (')[0]}: ${modelStateText(m({ state: 'downloading', progress, updatedAt: at })).text}`, 'YOLOX-Nano: 다운로드 중 42 %');
  const whisper = modelStateText(m({ name: 'whisper:onnx-community/whisper-small', state: 'downloading', progress: { ...progress, file: 'onnx/encoder_model_quantized.onnx', fileIndex: 6, fileCount: 7, percent: null, bytesTotal: null }, elsewhere: { pid: 42, host: 'w2' } }));
  assert.equal(whisper.text, '다운로드 중 1.6 MB');
  assert.equal(plain(whisper.detail), '파일 6/7: onnx/encoder_model_quantized.onnx · 다른 프로세스(w2, pid 42)가 받는 중');
  assert.equal(modelName('whisper:onnx-community/whisper-small'), 'Whisper onnx-community/whisper-small (음성 인식)');
});

test('failures say what happened in Korean, with the technical message as detail', () => {
  assert.equal(modelStateText(m({ state: 'failed', reason: 'offline', message: 'cannot reach huggingface.co' })).text, '오프라인: 모델을 받을 수 없어 건너뜀');
  assert.equal(modelStateText(m({ state: 'failed', reason: 'checksum_mismatch' })).text, '체크섬 불일치: 파일을 버렸습니다');
  assert.match(modelStateText(m({ state: 'failed', reason: 'stalled' })).text, /^다운로드 멈춤/);
  assert.equal(modelStateText(m({ state: 'failed', reason: 'http_status', httpStatus: 404 })).text, '다운로드 실패: HTTP 404');
  assert.equal(modelStateText(m({ state: 'failed', reason: 'offline', message: 'x' })).tone, 'fail');
});

test('present (with files trusted on first download), missing by configuration, not needed here', () => {
  const p = modelStateText(m({ state: 'present', present: true, unverifiedFiles: ['config.json', 'tokenizer.json'] }));
  assert.equal(p.text, '있음');
  assert.match(plain(p.detail)!, /^2개 파일은 서버가 체크섬을 알려 주지 않아 처음 받은 내용을 기준으로 삼았습니다: config\.json, tokenizer\.json$/);
  assert.match(plain(modelStateText(m({ state: 'missing', reason: 'auto_fetch_off' })).text)!, /자동 다운로드 꺼짐/);
  assert.match(plain(modelStateText(m({ state: 'missing', reason: 'excluded' })).text)!, /MODELS_AUTO_FETCH=detector/);
  assert.match(plain(modelStateText(m({ state: 'missing', reason: 'npm_package' })).text)!, /npm ci/);
  assert.equal(modelStateText(m({ state: 'not_needed', reason: 'not_used_here' })).text, '이 프로세스에서는 쓰지 않음');
});
