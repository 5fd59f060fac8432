/**
 * Tiny shared helper for the local fakes of external services.
 *
 * Every fake is a node:http server on 127.0.0.1:0 that records each request
 * (method, path, query, headers, raw body, parsed JSON body) and answers via a
 * per-fake handler. Failure injection in every fake uses the same shape: a FIFO
 * queue of one-shot overrides (`failNext(status, body?, headers?)`) that is
 * consumed by the next matching request before the normal handler runs.
 * A canned response with `delayMs` is held that long before it is written (a provider that does not answer in time:
 * every fake's `hangNext(ms)`); a client that gave up meanwhile has closed the socket and gets nothing.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without query string, percent-encoding preserved as sent. */
  path: string;
  /** Raw query string as sent on the wire (no leading '?'), '' when none. */
  rawQuery: string;
  /** Decoded query params; repeated keys keep the last value (see queryAll). */
  query: Record<string, string>;
  /** Decoded query params with every value of repeated keys (googleapis sends arrays as part=a&part=b). */
  queryAll: Record<string, string[]>;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Parsed body when it is valid JSON, otherwise undefined. */
  json?: unknown;
}

export interface CannedResponse {
  status: number;
  body?: string | object;
  headers?: Record<string, string>;
  /** Hold the response this long before writing it (timeouts). */
  delayMs?: number;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (req: RecordedRequest, res: http.ServerResponse) => void | Promise<void>;

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(text);
}

export function sendText(res: http.ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(body);
}

/** Write a canned override; object bodies are JSON, strings are sent verbatim (JSON content-type unless overridden). */
export function sendCanned(res: http.ServerResponse, c: CannedResponse, defaultContentType = 'application/json; charset=UTF-8'): void {
  const text = c.body === undefined ? '' : typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
  const write = () => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(c.status, { 'content-type': defaultContentType, ...(c.headers ?? {}) });
    res.end(text);
  };
  if (c.delayMs && c.delayMs > 0) {
    const timer = setTimeout(write, c.delayMs);
    res.once('close', () => clearTimeout(timer));
  } else write();
}

/** The response a held request finally gets (if its client still waits): a gateway timeout. */
export function heldResponse(delayMs: number, body: string | object = 'upstream timed out', headers?: Record<string, string>): CannedResponse {
  return { status: 504, body, headers, delayMs };
}

export function parseRequest(req: http.IncomingMessage, body: string): RecordedRequest {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const p = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q === -1 ? '' : rawUrl.slice(q + 1);
  const query: Record<string, string> = {};
  const queryAll: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    query[k] = v;
    (queryAll[k] ??= []).push(v);
  }
  let json: unknown;
  if (body) {
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
  }
  return { method: req.method ?? 'GET', path: p, rawQuery, query, queryAll, headers: req.headers, body, json };
}

/** Start a recording server; `handler` answers every request. Unhandled throws become a 500 with the message. */
export async function startServer(handler: Handler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = parseRequest(req, Buffer.concat(chunks).toString('utf8'));
      requests.push(rec);
      Promise.resolve()
        .then(() => handler(rec, res))
        .catch((err: unknown) => {
          if (!res.headersSent) sendJson(res, 500, { error: { code: 500, message: `fake server error: ${String(err)}`, status: 'INTERNAL' } });
          else res.end();
        });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Directory of the shared contracts (read at test time only, never copied). */
export function sharedDir(): string {
  return process.env.SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
}

export function readContract(rel: string): string {
  return fs.readFileSync(path.join(sharedDir(), 'contracts', rel), 'utf8');
}

export function readContractJson<T = any>(rel: string): T {
  return JSON.parse(readContract(rel)) as T;
}

/** 'pass' = let the fake's normal behaviour answer this request (used in status scripts like 500, 500, then normal). */
export type Override = CannedResponse | 'pass';

export interface QueuedOverride {
  response: Override;
  /** Only requests for which this returns true consume the override; omitted = any request. */
  match?: (req: RecordedRequest) => boolean;
}

/** FIFO of one-shot overrides. `take` removes and returns the first entry matching the request. */
export class OverrideQueue {
  private items: QueuedOverride[] = [];
  push(response: Override, match?: (req: RecordedRequest) => boolean): void {
    this.items.push({ response, match });
  }
  take(req: RecordedRequest): Override | undefined {
    const i = this.items.findIndex((it) => !it.match || it.match(req));
    if (i === -1) return undefined;
    return this.items.splice(i, 1)[0].response;
  }
  get size(): number {
    return this.items.length;
  }
  clear(): void {
    this.items = [];
  }
}
