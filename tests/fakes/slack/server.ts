/**
 * Fake Slack incoming webhook: POST /services/… (any path under /services/, or exactly opts.path when set;
 * other paths → 404 "no_service"). Success: 200 "ok" (text/html, like Slack).
 * Built-in validation like Slack: body not JSON → 400 "invalid_payload"; no text/blocks/attachments → 400 "no_text".
 * Failure injection (one-shot FIFO overrides consumed before normal handling):
 *   failNext(status, body?, headers?)    body defaults to Slack's text for that status
 *   rateLimitNext(retryAfterSeconds = 30) → 429 "rate_limited" + Retry-After
 *   noServiceNext() → 404 "no_service" · archivedNext() → 410 "channel_is_archived" · invalidPayloadNext() → 400
 *   hangNext(ms) → the response is held ms (then 504), for client timeouts
 * Inspection: requests (raw), messages (parsed JSON bodies of every well-formed POST), webhookUrl.
 */
import { heldResponse, OverrideQueue, sendCanned, sendText, startServer, type RecordedRequest } from '../http';

const TEXT = 'text/html; charset=utf-8';
const DEFAULT_BODY: Record<number, string> = { 400: 'invalid_payload', 403: 'action_prohibited', 404: 'no_service', 410: 'channel_is_archived', 429: 'rate_limited', 500: 'rollup_error' };

export interface SlackFakeOptions {
  /** when set, only this path is a live webhook */
  path?: string;
}

export interface SlackFake {
  url: string;
  /** url + a default webhook path, ready for the app's SLACK_WEBHOOK_URL */
  webhookUrl: string;
  requests: RecordedRequest[];
  messages: any[];
  close(): Promise<void>;
  failNext(status: number, body?: string, headers?: Record<string, string>): void;
  rateLimitNext(retryAfterSeconds?: number): void;
  noServiceNext(): void;
  archivedNext(): void;
  invalidPayloadNext(): void;
  hangNext(ms: number): void;
}

export async function startSlackFake(opts: SlackFakeOptions = {}): Promise<SlackFake> {
  const webhookPath = opts.path ?? '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
  const queue = new OverrideQueue();
  const messages: any[] = [];
  const srv = await startServer((req, res) => {
    const o = queue.take(req);
    if (o && o !== 'pass') return sendCanned(res, o, TEXT);
    const live = opts.path ? req.path === opts.path : req.path.startsWith('/services/');
    if (req.method !== 'POST' || !live) return sendText(res, 404, 'no_service', TEXT);
    const j = req.json as Record<string, unknown> | undefined;
    if (!j || typeof j !== 'object' || Array.isArray(j)) return sendText(res, 400, 'invalid_payload', TEXT);
    messages.push(j);
    if (!j.text && !(Array.isArray(j.blocks) && j.blocks.length) && !(Array.isArray(j.attachments) && j.attachments.length)) return sendText(res, 400, 'no_text', TEXT);
    sendText(res, 200, 'ok', TEXT);
  });
  const push = (status: number, body?: string, headers?: Record<string, string>) =>
    queue.push({ status, body: body ?? DEFAULT_BODY[status] ?? `error_${status}`, headers: { 'content-type': TEXT, ...headers } });
  return {
    ...srv,
    webhookUrl: srv.url + webhookPath,
    messages,
    failNext: push,
    rateLimitNext: (s = 30) => push(429, 'rate_limited', { 'retry-after': String(s) }),
    noServiceNext: () => push(404, 'no_service'),
    archivedNext: () => push(410, 'channel_is_archived'),
    invalidPayloadNext: () => push(400, 'invalid_payload'),
    hangNext: (ms) => queue.push(heldResponse(ms, 'upstream_timeout', { 'content-type': TEXT })),
  };
}
