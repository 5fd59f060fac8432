import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { GoogleGenAI, ApiError } from '@google/genai';
import { startGeminiFake, type GeminiFake } from '../../fakes/gemini/server';

let fake: GeminiFake;
let ai: GoogleGenAI;
before(async () => {
  fake = await startGeminiFake({ apiKey: 'gk-test', retryDelay: '1s' });
  ai = new GoogleGenAI({ apiKey: 'gk-test', httpOptions: { baseUrl: fake.url, apiVersion: 'v1beta' } });
});
after(async () => {
  await fake.close();
});

const req = (text: string) => ({
  model: 'gemini-2.5-flash',
  contents: [{ role: 'user', parts: [{ text }] }],
  config: { systemInstruction: '상품만 JSON으로', responseMimeType: 'application/json', thinkingConfig: { thinkingBudget: 0 } },
});

test('generateContent returns the scripted JSON with usage metadata; prompt is recorded', async () => {
  const answer = { summary: '캠핑 장비 리뷰 영상', products: [{ name: '헬리녹스 체어원', keyword: '헬리녹스 체어원', timestampSec: 312 }] };
  fake.reply(answer, { usage: { promptTokenCount: 1320, candidatesTokenCount: 85, thoughtsTokenCount: 245 } });
  const r = await ai.models.generateContent(req('자막: 헬리녹스 체어원 추천'));
  assert.deepEqual(JSON.parse(r.text!), answer);
  assert.equal(r.usageMetadata!.promptTokenCount, 1320);
  assert.equal(r.usageMetadata!.candidatesTokenCount, 85);
  assert.equal(r.usageMetadata!.totalTokenCount, 1650);
  assert.equal(r.candidates![0].finishReason, 'STOP');
  const call = fake.calls().at(-1)!;
  assert.equal(call.model, 'gemini-2.5-flash');
  assert.equal(call.apiVersion, 'v1beta');
  assert.match(fake.lastPrompt()!, /헬리녹스 체어원 추천/);
  assert.match(fake.lastPrompt()!, /상품만 JSON으로/);
  assert.equal(call.body.generationConfig.responseMimeType, 'application/json');
  assert.equal(fake.requests.at(-1)!.headers['x-goog-api-key'], 'gk-test');
});

test('429 surfaces as an SDK ApiError carrying RetryInfo retryDelay', async () => {
  fake.failNext(429);
  await assert.rejects(ai.models.generateContent(req('x')), (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 429);
    const body = JSON.parse(e.message);
    const retry = body.error.details.find((d: any) => d['@type'] === 'type.googleapis.com/google.rpc.RetryInfo');
    assert.equal(retry.retryDelay, '1s');
    return true;
  });
  fake.rateLimitNext('7s');
  await assert.rejects(ai.models.generateContent(req('x')), (e: any) => e.status === 429 && /"retryDelay":\s*"7s"/.test(e.message));
  fake.failNext(503);
  await assert.rejects(ai.models.generateContent(req('x')), (e: any) => e.status === 503);
});

test('MAX_TOKENS empty, malformed text, prompt blocked, unscripted call, bad key, v1 path, streaming', async () => {
  fake.replyMaxTokensEmpty();
  const empty = await ai.models.generateContent(req('x'));
  assert.equal(empty.candidates![0].finishReason, 'MAX_TOKENS');
  assert.equal(empty.text, undefined);

  fake.replyMalformed();
  const bad = await ai.models.generateContent(req('x'));
  assert.throws(() => JSON.parse(bad.text!));

  fake.replyPromptBlocked();
  const blocked = await ai.models.generateContent(req('x'));
  assert.equal(blocked.promptFeedback!.blockReason, 'PROHIBITED_CONTENT');
  assert.equal(blocked.candidates, undefined);

  assert.equal(fake.pending(), 0);
  await assert.rejects(ai.models.generateContent(req('x')), (e: any) => e.status === 500 && /no scripted reply/.test(e.message));

  const wrong = new GoogleGenAI({ apiKey: 'nope', httpOptions: { baseUrl: fake.url, apiVersion: 'v1beta' } });
  fake.reply('unused');
  await assert.rejects(wrong.models.generateContent(req('x')), (e: any) => e.status === 400 && /API_KEY_INVALID/.test(e.message));
  assert.equal(fake.pending(), 1, 'a rejected key does not consume the script');

  const v1 = new GoogleGenAI({ apiKey: 'gk-test', httpOptions: { baseUrl: fake.url, apiVersion: 'v1' } });
  const r1 = await v1.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
  assert.equal(r1.text, 'unused');
  assert.equal(fake.calls().at(-1)!.apiVersion, 'v1');

  fake.reply({ summary: '스트림', products: [] });
  let text = '';
  let chunks = 0;
  for await (const c of await ai.models.generateContentStream(req('x'))) {
    text += c.text ?? '';
    chunks++;
  }
  assert.equal(chunks, 2);
  assert.deepEqual(JSON.parse(text), { summary: '스트림', products: [] });
});

test('video clips: a request with a YouTube video part and offsets is recorded and answered from its own script', async () => {
  const clip = (start: string, end: string) => ({
    model: 'gemini-2.5-flash',
    contents: [
      {
        role: 'user',
        parts: [
          { fileData: { fileUri: 'https://www.youtube.com/watch?v=AbCdEfGhIjK', mimeType: 'video/*' }, videoMetadata: { startOffset: start, endOffset: end } },
          { text: '화면에 보이는 제품 글자' },
        ],
      },
    ],
    config: { responseMimeType: 'application/json' },
  });
  fake.reply({ shared: true }); // the shared queue keeps its order for the other calls
  fake.replyVideoClip((call) => ({ on_screen_text: [`${call.video!.startOffset}-${call.video!.endOffset}`], products: [] }));
  fake.failNextVideoClip(400);
  const r = await ai.models.generateContent(clip('19s', '30.5s'));
  assert.deepEqual(JSON.parse(r.text!), { on_screen_text: ['19s-30.5s'], products: [] });
  await assert.rejects(ai.models.generateContent(clip('40s', '45s')), (e: any) => e.status === 400);
  assert.equal(fake.pending(), 1);
  const plain = await ai.models.generateContent(req('x'));
  assert.deepEqual(JSON.parse(plain.text!), { shared: true });

  const calls = fake.videoClipCalls();
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[0].video, { fileUri: 'https://www.youtube.com/watch?v=AbCdEfGhIjK', mimeType: 'video/*', startOffset: '19s', endOffset: '30.5s' });
  assert.deepEqual(calls[0].body.contents[0].parts[0].videoMetadata, { startOffset: '19s', endOffset: '30.5s' }, 'the SDK sends videoMetadata beside fileData');
  assert.equal(fake.calls().at(-1)!.video, undefined);

  // with its own script empty, a clip request takes the shared queue
  fake.reply({ fromShared: 1 });
  const fallback = await ai.models.generateContent(clip('1s', '2s'));
  assert.deepEqual(JSON.parse(fallback.text!), { fromShared: 1 });
});
