import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durationOffset, windowVideoAnswerSchema, windowVideoPrompt } from '@/src/server/analysis/llm-window-video';
import {
  alreadyWatched,
  geminiEvidenceNote,
  productLabel,
  representativeTime,
  toGeminiFinding,
} from '@/src/server/visual/gemini-window-visuals';

test('window offsets are google.protobuf.Duration strings in seconds, to the millisecond', () => {
  assert.equal(durationOffset(19), '19s');
  assert.equal(durationOffset(30.5), '30.5s');
  assert.equal(durationOffset(0), '0s');
  assert.equal(durationOffset(Math.fround(19.3)), '19.3s', 'a real column read back as 19.299999… is sent as 19.3s');
  assert.equal(durationOffset(61.23456), '61.235s');
  assert.equal(durationOffset(-2), '0s');
  assert.equal(durationOffset(Number.NaN), '0s');
  assert.match(windowVideoPrompt(19, 30), /19s–30s/);
});

test("Gemini's answer becomes one frame-like finding: lines as OCR lines (engine gemini_video, 0.9), products as detections", () => {
  const answer = windowVideoAnswerSchema.parse({
    on_screen_text: ['SONY', ' WF-1000XM5 ', '', 'SONY', '노이즈 캔슬링  이어폰'],
    products: [
      { name: 'WF-1000XM5', brand: 'SONY', where: '손에 든 흰색 케이스' },
      { name: 'Sony WF-1000XM5', brand: 'SONY', where: '화면 중앙' },
      { name: '라운드랩 독도 토너', brand: null, where: '책상 위' },
    ],
  });
  const f = toGeminiFinding(answer, { start: 19, end: 30 });
  assert.equal(f.t, 24.5);
  assert.deepEqual(f.ocrLines, [
    { text: 'SONY', confidence: 0.9, engine: 'gemini_video' },
    { text: 'WF-1000XM5', confidence: 0.9, engine: 'gemini_video' },
    { text: '노이즈 캔슬링 이어폰', confidence: 0.9, engine: 'gemini_video' },
  ]);
  assert.deepEqual(f.detections.map((d) => d.label), ['SONY WF-1000XM5', 'Sony WF-1000XM5', '라운드랩 독도 토너']);
  assert.ok(f.detections.every((d) => d.score === 0.9 && d.box.width === 0 && d.box.height === 0), 'no position: empty box');

  const note = geminiEvidenceNote(answer, { start: 19, end: 30 });
  assert.match(note, /Gemini가 YouTube 영상의 19–30초 구간을 보고/);
  assert.match(note, /화면 글자 3줄을 읽었습니다/);
  assert.match(note, /SONY WF-1000XM5 \(손에 든 흰색 케이스\)/);
  assert.match(geminiEvidenceNote({ on_screen_text: [], products: [] }, { start: 1, end: 2 }), /화면에서 제품 글자나 제품을 찾지 못했습니다/);
});

test('labels, representative time and the "already watched" rule', () => {
  assert.equal(productLabel({ name: 'WF-1000XM5', brand: 'SONY' }), 'SONY WF-1000XM5');
  assert.equal(productLabel({ name: 'sony WF-1000XM5', brand: 'SONY' }), 'sony WF-1000XM5');
  assert.equal(productLabel({ name: '', brand: 'SONY' }), 'SONY');
  assert.equal(productLabel({ name: '토너', brand: null }), '토너');
  assert.equal(representativeTime({ start: 19, end: 30.4 }), 24.7);

  const win = { id: 1, videoId: 1, start: 19, end: 30 };
  assert.equal(alreadyWatched({ ...win, visualEvidence: null }), false);
  assert.equal(alreadyWatched({ ...win, visualEvidence: { source: 'gemini_video', note: '', interval: { start: 19, end: 30 } } }), true);
  assert.equal(alreadyWatched({ ...win, visualEvidence: { source: 'gemini_video', note: '', interval: { start: 19, end: 35 } } }), false, 'a moved window is watched again');
  assert.equal(alreadyWatched({ ...win, visualEvidence: { source: 'none', note: 'x' } }), false);
});

test('the answer schema rejects what the prompt does not allow', () => {
  assert.equal(windowVideoAnswerSchema.safeParse({ on_screen_text: ['A'] }).success, false, 'products is required');
  assert.equal(windowVideoAnswerSchema.safeParse({ on_screen_text: 'A', products: [] }).success, false);
  assert.equal(windowVideoAnswerSchema.safeParse({ on_screen_text: [], products: [{ name: 'x', where: 'y' }] }).success, false, 'brand must be present (null when unknown)');
});

test('which Gemini failures leave the window without visual evidence, and which retry the job', async () => {
  const { givesUp } = await import('@/src/server/visual/gemini-window-visuals');
  const { IntegrationError } = await import('@/src/server/integrations/errors');
  const { LlmOutputError } = await import('@/src/server/integrations/gemini/client');
  const http = (status: number, retryable: boolean) => new IntegrationError({ provider: 'gemini', operation: 'read_window_video', status, retryable }, `HTTP ${status}`);
  assert.equal(givesUp(http(400, false), false), true, 'a refusal: no retry');
  assert.equal(givesUp(http(401, false), false), true);
  assert.equal(givesUp(new LlmOutputError('read_window_video', 3, 'answer is not JSON'), false), true, 'already asked three times');
  assert.equal(givesUp(http(503, true), false), false, 'transient: the job retries');
  assert.equal(givesUp(http(503, true), true), true, "transient on the job's last attempt: go on without");
  assert.equal(givesUp(new Error('connection terminated'), true), false, 'not a Gemini failure: the stage fails as before');
});
