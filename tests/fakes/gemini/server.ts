/**
 * Fake of the Gemini Generative Language API as @google/genai calls it with
 * httpOptions: { baseUrl: fake.url, apiVersion: 'v1beta' | 'v1' }:
 *   POST /{v1beta|v1}/models/{model}:generateContent
 *   POST /{v1beta|v1}/models/{model}:streamGenerateContent?alt=sse   (same script, text split into 2 SSE events)
 *
 * Auth: `x-goog-api-key` header or `key` query must equal opts.apiKey (default 'test-gemini-key'),
 *   else the contract 400 API_KEY_INVALID body.
 * Script: ONE FIFO queue shared by successes and failures; each generate call consumes one entry:
 *   reply(textOrObject, {usage?, finishReason?})  success; objects are JSON.stringify'd into the candidate text
 *   failNext(status, body?, headers?)             default bodies: 400/404/429/500/503 from the contracts;
 *                                                 429 carries RetryInfo.retryDelay = opts.retryDelay ('1s')
 *   rateLimitNext(retryDelay?)                    429 with the given retryDelay
 *   replyMaxTokensEmpty() · replyMalformed(text?) · replyPromptBlocked(reason?)
 *   hangNext(ms)                                  the response is held ms (then 504), for client timeouts
 *   reply(call => value): the answer is computed from the recorded request (e.g. echo the OCR lines of a prompt)
 *   Empty queue → 500 "fake gemini: no scripted reply" (so tests notice unscripted calls).
 * Video clips: a request whose parts hold a video part (fileData with a video/* mimeType) with videoMetadata offsets
 *   (Gemini watching an interval of a YouTube URL) is answered from its own FIFO when that one is not empty, so its
 *   place among other concurrent calls does not matter: replyVideoClip(value | call => value, opts?) ·
 *   failNextVideoClip(status, body?). With that FIFO empty it takes the shared queue like any call.
 * opts.models: when set, other model names → contract 404. opts.modelVersion: the answers' modelVersion (the model that
 *   answered; default gemini-2.5-flash). reply(…, {usage: {promptTokensDetails}}) sets the per-modality prompt tokens.
 * Inspection: requests (raw), calls() (parsed generate calls; `video` = the request's video part, offsets included),
 *   videoClipCalls() (the calls with an interval), lastPrompt() (all text parts, joined).
 */
import { heldResponse, readContractJson, sendCanned, sendJson, startServer, type RecordedRequest } from '../http';

function contractBody<T = any>(file: string, fallback: T): T {
  try {
    return readContractJson<T>(`gemini/${file}`);
  } catch {
    return fallback;
  }
}
const gErr = (code: number, message: string, status: string) => ({ error: { code, message, status } });

export interface Usage {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  totalTokenCount?: number;
  /** Per-modality prompt tokens (e.g. [{modality: 'AUDIO', tokenCount: 960}, …]); default: all of them TEXT. */
  promptTokensDetails?: { modality: string; tokenCount: number }[];
}

export interface GenerateCall {
  apiVersion: string;
  model: string;
  method: 'generateContent' | 'streamGenerateContent';
  body: any;
  /** all text parts of contents + systemInstruction, newline-joined */
  prompt: string;
  /** The first video part (fileData with a video/* mimeType) and its videoMetadata, if the request has one. */
  video?: { fileUri: string; mimeType: string; startOffset?: string; endOffset?: string; fps?: number };
}

export type ReplyValue = string | object;
export type Responder = (call: GenerateCall) => ReplyValue;

type Scripted =
  | { kind: 'ok'; body: any }
  | { kind: 'fn'; fn: Responder; opts?: { usage?: Usage; finishReason?: string } }
  | { kind: 'raw'; status: number; body: string | object; headers?: Record<string, string>; delayMs?: number };

export interface GeminiFakeOptions {
  apiKey?: string;
  /** RetryInfo.retryDelay used by failNext(429); default '1s' */
  retryDelay?: string;
  models?: string[];
  modelVersion?: string;
}

export interface GeminiFake {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
  reply(value: ReplyValue | Responder, opts?: { usage?: Usage; finishReason?: string }): void;
  /** Answer for the next request holding a video clip (video part + videoMetadata offsets). */
  replyVideoClip(value: ReplyValue | Responder, opts?: { usage?: Usage; finishReason?: string }): void;
  failNextVideoClip(status: number, body?: string | object, headers?: Record<string, string>): void;
  failNext(status: number, body?: string | object, headers?: Record<string, string>): void;
  rateLimitNext(retryDelay?: string): void;
  replyMaxTokensEmpty(): void;
  replyMalformed(text?: string): void;
  replyPromptBlocked(reason?: string): void;
  hangNext(ms: number): void;
  pending(): number;
  calls(): GenerateCall[];
  videoClipCalls(): GenerateCall[];
  lastPrompt(): string | undefined;
}

function collectText(body: any): string {
  const out: string[] = [];
  const walk = (c: any) => {
    for (const p of c?.parts ?? []) if (typeof p?.text === 'string') out.push(p.text);
  };
  if (body?.systemInstruction) walk(body.systemInstruction);
  for (const c of Array.isArray(body?.contents) ? body.contents : []) walk(c);
  return out.join('\n');
}

function videoPart(body: any): GenerateCall['video'] {
  for (const c of Array.isArray(body?.contents) ? body.contents : []) {
    for (const p of c?.parts ?? []) {
      const file = p?.fileData;
      if (typeof file?.fileUri === 'string' && typeof file?.mimeType === 'string' && file.mimeType.startsWith('video/')) {
        const meta = p.videoMetadata ?? {};
        return {
          fileUri: file.fileUri,
          mimeType: file.mimeType,
          ...(meta.startOffset !== undefined ? { startOffset: meta.startOffset } : {}),
          ...(meta.endOffset !== undefined ? { endOffset: meta.endOffset } : {}),
          ...(meta.fps !== undefined ? { fps: meta.fps } : {}),
        };
      }
    }
  }
  return undefined;
}

const isVideoClip = (c: GenerateCall) => c.video?.startOffset !== undefined || c.video?.endOffset !== undefined;

export async function startGeminiFake(opts: GeminiFakeOptions = {}): Promise<GeminiFake> {
  const apiKey = opts.apiKey ?? 'test-gemini-key';
  const modelVersion = opts.modelVersion ?? 'gemini-2.5-flash';
  const defaultDelay = opts.retryDelay ?? '1s';
  const script: Scripted[] = [];
  const clipScript: Scripted[] = [];
  const calls: GenerateCall[] = [];
  let responseN = 0;

  const rateLimitBody = (delay: string) => {
    const body = contractBody<any>('error-429-resource-exhausted.json', { error: { code: 429, message: 'You exceeded your current quota.', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '15s' }] } });
    body.error.message = String(body.error.message).replace(/Please retry in [\d.]+s\./, `Please retry in ${delay}.`);
    for (const d of body.error.details ?? []) if (d['@type'] === 'type.googleapis.com/google.rpc.RetryInfo') d.retryDelay = delay;
    return body;
  };
  const defaultErrorBody = (status: number): object => {
    switch (status) {
      case 400:
        return contractBody('error-400-invalid-argument.json', gErr(400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT'));
      case 404:
        return contractBody('error-404-model-not-found.json', gErr(404, 'model is not found', 'NOT_FOUND'));
      case 429:
        return rateLimitBody(defaultDelay);
      case 500:
        return contractBody('error-500-internal.json', gErr(500, 'An internal error has occurred.', 'INTERNAL'));
      case 503:
        return contractBody('error-503-unavailable.json', gErr(503, 'The model is overloaded. Please try again later.', 'UNAVAILABLE'));
      default:
        return gErr(status, `Error ${status}`, 'UNKNOWN');
    }
  };
  const responseId = () => `fakeResp${(++responseN).toString(36).padStart(8, '0')}`;

  const srv = await startServer((req, res) => {
    const m = req.path.match(/^\/(v1beta|v1|v1alpha)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/);
    if (req.method !== 'POST' || !m) return sendJson(res, 404, gErr(404, `fake gemini: no route ${req.method} ${req.path}`, 'NOT_FOUND'));
    const [, apiVersion, model, method] = m;
    const key = req.headers['x-goog-api-key'] ?? req.query.key;
    if (key !== apiKey) return sendJson(res, 400, contractBody('error-400-api-key-invalid.json', gErr(400, 'API key not valid. Please pass a valid API key.', 'INVALID_ARGUMENT')));
    if (req.json === undefined) return sendJson(res, 400, gErr(400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT'));
    const call: GenerateCall = { apiVersion, model: decodeURIComponent(model), method: method as GenerateCall['method'], body: req.json, prompt: collectText(req.json) };
    const video = videoPart(req.json);
    if (video) call.video = video;
    calls.push(call);
    if (opts.models && !opts.models.includes(decodeURIComponent(model))) {
      const body = contractBody<any>('error-404-model-not-found.json', gErr(404, 'not found', 'NOT_FOUND'));
      body.error.message = `models/${decodeURIComponent(model)} is not found for API version ${apiVersion}, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`;
      return sendJson(res, 404, body);
    }
    const next = isVideoClip(call) && clipScript.length ? clipScript.shift() : script.shift();
    if (!next) return sendJson(res, 500, gErr(500, 'fake gemini: no scripted reply', 'INTERNAL'));
    if (next.kind === 'raw') return sendCanned(res, { status: next.status, body: next.body, headers: next.headers, delayMs: next.delayMs });
    const answered = next.kind === 'fn' ? okFor(next.fn(call), next.opts) : next.body;
    const body = { ...answered, modelVersion, responseId: responseId() };
    if (method === 'generateContent') return sendJson(res, 200, body);
    // SSE: split the first text part into two events; usage/finishReason on the last one
    const text: string | undefined = body.candidates?.[0]?.content?.parts?.[0]?.text;
    const events: any[] = [];
    if (typeof text === 'string' && text.length > 1) {
      const cut = Math.ceil(text.length / 2);
      const cand = body.candidates[0];
      events.push({ candidates: [{ content: { parts: [{ text: text.slice(0, cut) }], role: 'model' }, index: 0 }], usageMetadata: body.usageMetadata, modelVersion, responseId: body.responseId });
      events.push({ ...body, candidates: [{ ...cand, content: { parts: [{ text: text.slice(cut) }], role: 'model' } }] });
    } else events.push(body);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(events.map((e) => `data: ${JSON.stringify(e)}\r\n\r\n`).join(''));
  });

  const okBody = (text: string | undefined, finishReason: string, usage?: Usage) => {
    const prompt = usage?.promptTokenCount ?? 1320;
    const cand = usage?.candidatesTokenCount ?? (text === undefined ? undefined : Math.max(1, Math.ceil(text.length / 4)));
    const thoughts = usage?.thoughtsTokenCount;
    return {
      candidates: [{ content: text === undefined ? { role: 'model' } : { parts: [{ text }], role: 'model' }, finishReason, index: 0 }],
      usageMetadata: {
        promptTokenCount: prompt,
        ...(cand !== undefined ? { candidatesTokenCount: cand } : {}),
        totalTokenCount: usage?.totalTokenCount ?? prompt + (cand ?? 0) + (thoughts ?? 0),
        promptTokensDetails: usage?.promptTokensDetails ?? [{ modality: 'TEXT', tokenCount: prompt }],
        ...(thoughts !== undefined ? { thoughtsTokenCount: thoughts } : {}),
      },
    };
  };

  const okFor = (value: ReplyValue, o?: { usage?: Usage; finishReason?: string }) =>
    okBody(typeof value === 'string' ? value : JSON.stringify(value), o?.finishReason ?? 'STOP', o?.usage);
  const scripted = (value: ReplyValue | Responder, o?: { usage?: Usage; finishReason?: string }): Scripted =>
    typeof value === 'function' ? { kind: 'fn', fn: value as Responder, opts: o } : { kind: 'ok', body: okFor(value, o) };

  return {
    ...srv,
    apiKey,
    reply(value, o) {
      script.push(scripted(value, o));
    },
    replyVideoClip(value, o) {
      clipScript.push(scripted(value, o));
    },
    failNext(status, body, headers) {
      script.push({ kind: 'raw', status, body: body ?? defaultErrorBody(status), headers });
    },
    failNextVideoClip(status, body, headers) {
      clipScript.push({ kind: 'raw', status, body: body ?? defaultErrorBody(status), headers });
    },
    rateLimitNext(retryDelay) {
      script.push({ kind: 'raw', status: 429, body: rateLimitBody(retryDelay ?? defaultDelay) });
    },
    replyMaxTokensEmpty() {
      script.push({ kind: 'ok', body: okBody(undefined, 'MAX_TOKENS', { promptTokenCount: 1706, thoughtsTokenCount: 2999 }) });
    },
    replyMalformed(text) {
      script.push({ kind: 'ok', body: okBody(text ?? '{"summary": "캠핑 장비 리뷰", "products": [{"name": "코베아', 'STOP') });
    },
    hangNext(ms) {
      const held = heldResponse(ms, gErr(504, 'Deadline expired before operation could complete.', 'DEADLINE_EXCEEDED'));
      script.push({ kind: 'raw', status: held.status, body: held.body!, delayMs: ms });
    },
    replyPromptBlocked(reason) {
      script.push({ kind: 'ok', body: { promptFeedback: { blockReason: reason ?? 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 57, totalTokenCount: 57, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 57 }] } } });
    },
    pending: () => script.length + clipScript.length,
    calls: () => [...calls],
    videoClipCalls: () => calls.filter(isVideoClip),
    lastPrompt: () => calls.at(-1)?.prompt,
  };
}
