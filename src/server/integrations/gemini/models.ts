import { getConfig } from '@/src/server/config';
import { log } from '@/src/server/logger';
import table from './models.json' with { type: 'json' };

/**
 * What the app knows of Gemini's models, from one data file (models.json, with its sources and the date they were
 * read): the default model, the price table per model and the models Google lists as shut down. The cost of a call is
 * priced by the model that answered (the response's modelVersion), audio input at the model's audio rate.
 */

/** USD per million tokens: input (text/image/video), audio input, output (thinking included). */
export type GeminiPrice = { input: number; audioInput: number; output: number };
export type GeminiShutDown = { date: string; replacement?: string };

export const GEMINI_DEFAULT_MODEL: string = table.defaultModel;
export const GEMINI_PRICES_SOURCE = { url: table.sources.pricing, checked: table.checked };

const prices: Record<string, GeminiPrice> = table.prices;
const shutDown: Record<string, GeminiShutDown> = table.shutDown;

/** `models/gemini-x` and `gemini-x` name the same model. */
const bare = (model: string) => model.trim().replace(/^models\//, '');

/**
 * The price of a model: its own row, else the row of the model it is a version of (`gemini-2.5-flash-001`,
 * `…-latest`, `…-preview-09-2025` are priced as `gemini-2.5-flash`). Undefined when the table does not know it.
 */
export function geminiPrice(model: string): GeminiPrice | undefined {
  const name = bare(model);
  if (prices[name]) return prices[name];
  const base = Object.keys(prices)
    .filter((k) => name.startsWith(`${k}-`) && /^-(?:\d{3}|latest|preview(?:-[\w-]+)?)$/.test(name.slice(k.length)))
    .sort((a, b) => b.length - a.length)[0];
  return base ? prices[base] : undefined;
}

/** Google's shutdown entry for a model name, if it has one. */
export function geminiShutDown(model: string): GeminiShutDown | undefined {
  return shutDown[bare(model)];
}

/** One line naming a configured model that Google lists as shut down (or about to be); undefined for others. */
export function shutDownModelWarning(model: string, now: Date = new Date()): string | undefined {
  const entry = geminiShutDown(model);
  if (!entry) return undefined;
  const past = now.toISOString().slice(0, 10) >= entry.date;
  const instead = entry.replacement ? ` (Google's replacement: ${entry.replacement})` : '';
  const when = past ? `was shut down by Google on ${entry.date}` : `will be shut down by Google on ${entry.date}`;
  return `GEMINI_MODEL=${model} ${when}: set GEMINI_MODEL to a current model${instead}, or unset it for the default ${GEMINI_DEFAULT_MODEL}`;
}

/** Start-up: logs the shut-down warning for the configured GEMINI_MODEL (one line), returns it. */
export function warnIfShutDownModel(now: Date = new Date()): string | undefined {
  const model = getConfig().GEMINI_MODEL;
  const message = shutDownModelWarning(model, now);
  if (message) log.warn({ model, shutDown: geminiShutDown(model)?.date }, message);
  return message;
}

export type GeminiTokens = {
  /** All prompt tokens (promptTokenCount), audio included. */
  inputTokens: number;
  /** The prompt's audio tokens (promptTokensDetails with modality AUDIO), priced at the audio rate. */
  audioInputTokens?: number;
  /** Answer and thinking tokens. */
  outputTokens: number;
};

/** Prices that replace the table's for every model (GEMINI_PRICE_*_PER_MTOK). */
export type PriceOverrides = Partial<GeminiPrice>;

/**
 * Cost in USD of one call answered by `model`; undefined when a rate it needs is unknown (a model missing from the
 * table and not covered by overrides). Pure.
 */
export function geminiCost(model: string, tokens: GeminiTokens, overrides: PriceOverrides = {}): number | undefined {
  const row = geminiPrice(model);
  const audio = Math.max(0, Math.min(tokens.audioInputTokens ?? 0, tokens.inputTokens));
  const rest = Math.max(0, tokens.inputTokens - audio);
  const rate = {
    input: overrides.input ?? row?.input,
    audioInput: overrides.audioInput ?? row?.audioInput,
    output: overrides.output ?? row?.output,
  };
  if (rate.input === undefined || rate.output === undefined || (audio > 0 && rate.audioInput === undefined)) return undefined;
  return (rest * rate.input + audio * (rate.audioInput ?? 0) + tokens.outputTokens * rate.output) / 1_000_000;
}

const warnedUnknown = new Set<string>();

/**
 * The ledger's cost of one Gemini call: priced by the answering model (else the configured GEMINI_MODEL) with the
 * GEMINI_PRICE_* overrides. A model the table does not know costs 0 (unknown) and is warned about once per process.
 */
export function geminiCallCostUsd(model: string | null | undefined, tokens: GeminiTokens): number {
  const c = getConfig();
  const name = model || c.GEMINI_MODEL;
  const cost = geminiCost(name, tokens, {
    input: c.GEMINI_PRICE_INPUT_PER_MTOK,
    audioInput: c.GEMINI_PRICE_AUDIO_INPUT_PER_MTOK,
    output: c.GEMINI_PRICE_OUTPUT_PER_MTOK,
  });
  if (cost !== undefined) return cost;
  if (!warnedUnknown.has(name)) {
    warnedUnknown.add(name);
    log.warn(
      { model: name, prices: GEMINI_PRICES_SOURCE.url },
      `no price known for Gemini model ${name}: its calls are recorded with cost 0 (add it to src/server/integrations/gemini/models.json or set GEMINI_PRICE_INPUT_PER_MTOK, GEMINI_PRICE_AUDIO_INPUT_PER_MTOK and GEMINI_PRICE_OUTPUT_PER_MTOK)`,
    );
  }
  return 0;
}

/** Tests: forget which unknown models were warned about. */
export function resetUnknownModelWarnings(): void {
  warnedUnknown.clear();
}
