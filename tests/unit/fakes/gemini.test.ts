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
