import { ApiError, GoogleGenAI, MediaModality, type GenerateContentResponse, type Part } from '@google/genai';
import type { z } from 'zod';
import { getConfig } from '@/src/server/config';
import { DomainError } from '@/src/server/errors';
import { IntegrationError, isRetryableStatus, parseRetryInfo } from '@/src/server/integrations/errors';
import { callExternal, type UsageFigures } from '@/src/server/integrations/policy';
import { log } from '@/src/server/logger';

/**
 * Gemini client for structured (JSON) answers. Transport problems (429 with RetryInfo, 5xx, timeouts) are retried by
 * the policy layer (callExternal); answer problems (empty text with finishReason MAX_TOKENS, text that is not JSON,
 * JSON that fails the zod schema) are retried here, up to `attempts` times, then reported as LlmOutputError so the
 * caller can fail its stage with a clear message instead of storing half an answer. Every attempt is one api_usage row
 * with its tokens, the model that answered and the cost (priced by that model, audio at its audio rate: models.ts).
 * The model name and base URL come from configuration only.
 */
export const GEMINI_API_VERSION = 'v1beta';

export function geminiConfigured(): boolean {
  return !!getConfig().GEMINI_API_KEY;
}

export function notConfiguredGemini(feature: string): DomainError {
  return new DomainError('not_configured', `${feature} needs Gemini: set GEMINI_API_KEY (not configured).`);
}

/** The model answered, but not with what was asked for, even after retrying. */
export class LlmOutputError extends Error {
  constructor(
    readonly operation: string,
    readonly attempts: number,
    readonly problem: string,
  ) {
    super(`Gemini ${operation}: no valid answer after ${attempts} attempts (${problem})`);
    this.name = 'LlmOutputError';
  }
}

const g = globalThis as unknown as { __influenceGemini?: { key: string; client: GoogleGenAI } };

function client(): GoogleGenAI {
  const c = getConfig();
  if (!c.GEMINI_API_KEY) throw notConfiguredGemini('This step');
  const key = `${c.GEMINI_API_KEY}|${c.GEMINI_BASE_URL ?? ''}`;
  if (g.__influenceGemini?.key !== key) {
    g.__influenceGemini = {
      key,
      client: new GoogleGenAI({
        apiKey: c.GEMINI_API_KEY,
        httpOptions: { apiVersion: GEMINI_API_VERSION, ...(c.GEMINI_BASE_URL ? { baseUrl: c.GEMINI_BASE_URL } : {}) },
      }),
    };
  }
  return g.__influenceGemini.client;
}

function toIntegrationError(err: unknown, operation: string): unknown {
  if (err instanceof ApiError) {
    const status = err.status;
    const apiKeyInvalid = /API_KEY_INVALID|API key not valid/i.test(err.message);
    return new IntegrationError(
      {
        provider: 'gemini',
        operation,
        status,
        retryable: isRetryableStatus(status) && !apiKeyInvalid,
        retryAfterMs: status === 429 ? parseRetryInfo(err.message) : undefined,
        code: apiKeyInvalid ? 'api_key_invalid' : `http_${status}`,
        cause: err,
      },
      `Gemini ${operation} failed with HTTP ${status}${apiKeyInvalid ? ' (API key invalid: check GEMINI_API_KEY)' : ''}${googleMessage(err.message)}`,
    );
  }
  // The SDK parses the response body itself: a body that is not JSON (truncated, a proxy's page) surfaces as a
  // SyntaxError that would not say who answered it.
  if (err instanceof SyntaxError) {
    return new IntegrationError(
      { provider: 'gemini', operation, retryable: false, code: 'bad_response', cause: err },
      `Gemini ${operation} answered with an unexpected body (not JSON: ${err.message.slice(0, 80)})`,
    );
  }
  return err;
}

/** Google's own explanation from an error body ({"error":{"message":…}}), shortened: it says what to fix. */
function googleMessage(body: string): string {
  const json = body.slice(body.indexOf('{'));
  try {
    const message = (JSON.parse(json) as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' && message ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

export type StructuredRequest<T> = {
  operation: string;
  videoId?: number | string | null;
  candidateId?: number | string | null;
  system: string;
  parts: Part[];
  /** OpenAPI-subset schema sent as responseSchema. */
  responseSchema: Record<string, unknown>;
  /** zod schema the answer must pass. */
  schema: z.ZodType<T>;
  maxOutputTokens?: number;
  /** Attempts for answer problems (malformed JSON, schema mismatch, empty MAX_TOKENS). */
  attempts?: number;
};

function answerText(r: GenerateContentResponse): { text: string | undefined; finishReason: string | undefined } {
  const cand = r.candidates?.[0];
  const text = cand?.content?.parts?.map((p) => (typeof p.text === 'string' && !p.thought ? p.text : '')).join('') || undefined;
  return { text, finishReason: cand?.finishReason ?? (r.promptFeedback?.blockReason ? 'BLOCKED' : undefined) };
}

/**
 * The ledger's figures of one answer: prompt tokens (audio ones apart, they cost more), answer + thinking tokens and
 * the model that answered (modelVersion: Google may answer a request with another model than the one named, e.g. the
 * replacement of a shut-down one), else the requested model.
 */
export function usageOf(r: GenerateContentResponse, requestedModel: string): UsageFigures {
  const m = r.usageMetadata;
  const audioInputTokens = (m?.promptTokensDetails ?? [])
    .filter((d) => d.modality === MediaModality.AUDIO)
    .reduce((sum, d) => sum + (d.tokenCount ?? 0), 0);
  return {
    inputTokens: m?.promptTokenCount ?? 0,
    audioInputTokens,
    outputTokens: (m?.candidatesTokenCount ?? 0) + (m?.thoughtsTokenCount ?? 0),
    model: r.modelVersion || requestedModel,
  };
}

function stripFence(text: string): string {
  const m = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text);
  return m ? m[1] : text;
}

/** Asks Gemini for JSON matching `schema`; retries answer problems; throws LlmOutputError when none is valid. */
export async function generateStructured<T>(req: StructuredRequest<T>): Promise<T> {
  const ai = client();
  const model = getConfig().GEMINI_MODEL;
  const attempts = req.attempts ?? 3;
  let maxOutputTokens = req.maxOutputTokens ?? 8192;
  let noThinking = false;
  let problem = 'no answer';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const response = await callExternal(
      { provider: 'gemini', operation: req.operation, videoId: req.videoId, candidateId: req.candidateId },
      (signal) =>
        ai.models
          .generateContent({
            model,
            contents: [{ role: 'user', parts: req.parts }],
            config: {
              systemInstruction: req.system,
              responseMimeType: 'application/json',
              responseSchema: req.responseSchema,
              temperature: 0.2,
              maxOutputTokens,
              ...(noThinking ? { thinkingConfig: { thinkingBudget: 0 } } : {}),
              abortSignal: signal,
            },
          })
          .catch((e: unknown) => {
            throw toIntegrationError(e, req.operation);
          }),
      { usage: (r) => usageOf(r, model) },
    );
    const { text, finishReason } = answerText(response);
    if (!text || !text.trim()) {
      problem = finishReason === 'MAX_TOKENS' ? 'empty answer, finishReason MAX_TOKENS' : `empty answer (${finishReason ?? 'no candidate'})`;
      if (finishReason === 'MAX_TOKENS') {
        maxOutputTokens = Math.min(maxOutputTokens * 2, 65536);
        noThinking = true;
      }
    } else {
      let json: unknown;
      try {
        json = JSON.parse(stripFence(text));
      } catch {
        problem = `answer is not JSON: ${JSON.stringify(text.slice(0, 80))}`;
        json = undefined;
      }
      if (json !== undefined) {
        const parsed = req.schema.safeParse(json);
        if (parsed.success) return parsed.data;
        const issue = parsed.error.issues[0];
        problem = `answer does not match the schema: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}`.trim();
      }
    }
    log.warn({ operation: req.operation, videoId: req.videoId, attempt, problem }, 'gemini answer rejected');
  }
  throw new LlmOutputError(req.operation, attempts, problem);
}
