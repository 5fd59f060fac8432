import assert from 'node:assert/strict';
import { afterEach, mock, test } from 'node:test';
import { getConfig } from '@/src/server/config';
import {
  GEMINI_DEFAULT_MODEL,
  GEMINI_PRICES_SOURCE,
  geminiCallCostUsd,
  geminiCost,
  geminiPrice,
  geminiShutDown,
  resetUnknownModelWarnings,
  shutDownModelWarning,
  warnIfShutDownModel,
} from '@/src/server/integrations/gemini/models';
import { getLogger } from '@/src/server/logger';
import { setEnv } from '../../helpers/env';

const near = (a: number | undefined, b: number) => assert.ok(a !== undefined && Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);

afterEach(() => {
  mock.restoreAll();
  resetUnknownModelWarnings();
  setEnv({ GEMINI_MODEL: undefined, GEMINI_PRICE_INPUT_PER_MTOK: undefined, GEMINI_PRICE_AUDIO_INPUT_PER_MTOK: undefined, GEMINI_PRICE_OUTPUT_PER_MTOK: undefined });
});

test('the default model is a current one: priced, with an audio rate, not shut down, and the configured default', () => {
  setEnv({ GEMINI_MODEL: undefined });
  assert.equal(GEMINI_DEFAULT_MODEL, 'gemini-3.5-flash-lite');
  assert.equal(getConfig().GEMINI_MODEL, GEMINI_DEFAULT_MODEL);
  const price = geminiPrice(GEMINI_DEFAULT_MODEL);
  assert.ok(price && price.input > 0 && price.audioInput > 0 && price.output > 0);
  assert.equal(geminiShutDown(GEMINI_DEFAULT_MODEL), undefined);
  assert.equal(shutDownModelWarning(GEMINI_DEFAULT_MODEL), undefined);
  assert.match(GEMINI_PRICES_SOURCE.url, /^https:\/\/ai\.google\.dev\/gemini-api\/docs\/pricing/);
  assert.match(GEMINI_PRICES_SOURCE.checked, /^\d{4}-\d{2}-\d{2}$/);
});

test('the price table has input, audio input and output rates per model; versions are priced as their model', () => {
  assert.deepEqual(geminiPrice('gemini-2.5-flash'), { input: 0.3, audioInput: 1.0, output: 2.5 });
  assert.deepEqual(geminiPrice('models/gemini-2.5-flash'), geminiPrice('gemini-2.5-flash'));
  assert.deepEqual(geminiPrice('gemini-2.5-flash-lite'), { input: 0.1, audioInput: 0.3, output: 0.4 }, 'not the 2.5 Flash row');
  assert.deepEqual(geminiPrice('gemini-2.5-flash-001'), geminiPrice('gemini-2.5-flash'));
  assert.deepEqual(geminiPrice('gemini-3.5-flash-lite-preview-09-2026'), geminiPrice('gemini-3.5-flash-lite'));
  assert.equal(geminiPrice('gemini-2.5-flash-image'), undefined, 'another model, not a version');
  assert.equal(geminiPrice('gemini-test-model'), undefined);
});

test('cost: audio tokens are priced at the audio rate, the rest of the prompt at the input rate, thinking as output', () => {
  // gemini-2.5-flash: 0.30 input, 1.00 audio, 2.50 output per million tokens
  near(geminiCost('gemini-2.5-flash', { inputTokens: 1_000_000, audioInputTokens: 0, outputTokens: 0 }), 0.3);
  near(geminiCost('gemini-2.5-flash', { inputTokens: 1_000_000, audioInputTokens: 1_000_000, outputTokens: 0 }), 1.0);
  near(geminiCost('gemini-2.5-flash', { inputTokens: 10_000, audioInputTokens: 8_000, outputTokens: 1_000 }), (2_000 * 0.3 + 8_000 * 1.0 + 1_000 * 2.5) / 1e6);
  // The answering model decides the price: the same tokens cost differently on 2.5 Flash-Lite.
  near(geminiCost('gemini-2.5-flash-lite', { inputTokens: 10_000, audioInputTokens: 8_000, outputTokens: 1_000 }), (2_000 * 0.1 + 8_000 * 0.3 + 1_000 * 0.4) / 1e6);
  // More audio than prompt tokens is not double-counted.
  near(geminiCost('gemini-2.5-flash', { inputTokens: 100, audioInputTokens: 500, outputTokens: 0 }), (100 * 1.0) / 1e6);
});

test('an unknown model has no cost (undefined), unless the overrides give every rate it needs', () => {
  assert.equal(geminiCost('gemini-test-model', { inputTokens: 100, outputTokens: 10 }), undefined);
  near(geminiCost('gemini-test-model', { inputTokens: 100, outputTokens: 10 }, { input: 1, output: 2 }), (100 + 20) / 1e6);
  assert.equal(geminiCost('gemini-test-model', { inputTokens: 100, audioInputTokens: 50, outputTokens: 10 }, { input: 1, output: 2 }), undefined, 'audio needs an audio rate');
  // Overrides replace the table's rates for known models too.
  near(geminiCost('gemini-2.5-flash', { inputTokens: 100, audioInputTokens: 50, outputTokens: 10 }, { audioInput: 4 }), (50 * 0.3 + 50 * 4 + 10 * 2.5) / 1e6);
});

test('the ledger cost: an unknown model is recorded as 0 with one warning, not a crash; GEMINI_PRICE_* override the table', () => {
  const warn = mock.method(getLogger(), 'warn', () => {});
  assert.equal(geminiCallCostUsd('gemini-unknown-9', { inputTokens: 1000, outputTokens: 100 }), 0);
  assert.equal(geminiCallCostUsd('gemini-unknown-9', { inputTokens: 2000, outputTokens: 100 }), 0);
  assert.equal(warn.mock.callCount(), 1, 'warned once');
  assert.match(String(warn.mock.calls[0].arguments[1]), /no price known for Gemini model gemini-unknown-9/);

  // No answering model: the configured GEMINI_MODEL prices it.
  setEnv({ GEMINI_MODEL: 'gemini-2.5-flash-lite' });
  near(geminiCallCostUsd(null, { inputTokens: 1_000_000, outputTokens: 0 }), 0.1);
  setEnv({ GEMINI_PRICE_INPUT_PER_MTOK: '2', GEMINI_PRICE_AUDIO_INPUT_PER_MTOK: '3', GEMINI_PRICE_OUTPUT_PER_MTOK: '5' });
  near(geminiCallCostUsd('gemini-unknown-9', { inputTokens: 300, audioInputTokens: 100, outputTokens: 10 }), (200 * 2 + 100 * 3 + 10 * 5) / 1e6);
  assert.equal(warn.mock.callCount(), 1);
});

test('a configured model that Google lists as shut down gets one start-up warning line naming it', () => {
  const after = new Date('2026-12-05T00:00:00Z');
  const message = shutDownModelWarning('gemini-2.5-flash', after);
  assert.match(message ?? '', /^GEMINI_MODEL=gemini-2\.5-flash was shut down by Google on 2026-12-01/);
  assert.match(message ?? '', /gemini-3\.5-flash-lite/, 'names the replacement');
  assert.doesNotMatch(message ?? '', /\n/, 'one line');
  assert.match(shutDownModelWarning('models/gemini-2.5-pro', after) ?? '', /was shut down by Google on 2026-12-01/);
  assert.match(shutDownModelWarning('gemini-2.5-flash', new Date('2026-11-20T00:00:00Z')) ?? '', /will be shut down by Google on 2026-12-01/);
  assert.equal(shutDownModelWarning('gemini-2.5-flash-lite', after), undefined, 'not shut down');

  const warn = mock.method(getLogger(), 'warn', () => {});
  setEnv({ GEMINI_MODEL: 'gemini-2.5-flash' });
  assert.equal(warnIfShutDownModel(after), message);
  assert.equal(warn.mock.callCount(), 1);
  assert.deepEqual(warn.mock.calls[0].arguments, [{ model: 'gemini-2.5-flash', shutDown: '2026-12-01' }, message]);
  setEnv({ GEMINI_MODEL: 'gemini-3.5-flash-lite' });
  assert.equal(warnIfShutDownModel(after), undefined);
  assert.equal(warn.mock.callCount(), 1, 'nothing for a current model');
});
