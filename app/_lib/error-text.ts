import { ko } from '@/app/_i18n/ko';

/**
 * The Korean message an operator reads for a failed API call: chosen by the error code the API returned (and the
 * field, and the action that was attempted), never the API's own `message`, which is developer wording and stays in
 * the response and the server log. Each message says what to do next.
 */
export type ErrorFacts = { status: number; code: string; field?: string };

/** Which action a call is, from its method and path, for messages that depend on it. */
const ACTIONS: [method: string, path: RegExp, action: string][] = [
  ['POST', /^\/api\/v1\/videos\/?$/, 'videos.submit'],
  ['POST', /^\/api\/v1\/videos\/upload\/?$/, 'videos.upload'],
  ['POST', /^\/api\/v1\/videos\/[^/]+\/retry\/?$/, 'videos.retry'],
  ['POST', /^\/api\/v1\/channels\/?$/, 'channels.add'],
  ['POST', /^\/api\/v1\/channels\/discover\/?$/, 'channels.discover'],
  ['POST', /^\/api\/v1\/channels\/[^/]+\/backfill\/?$/, 'channels.backfill'],
  ['POST', /^\/api\/v1\/celebrities\/?$/, 'celebrities.add'],
  ['POST', /^\/api\/v1\/operators\/?$/, 'operators.add'],
  ['PATCH', /^\/api\/v1\/operators\/[^/]+\/?$/, 'operators.update'],
  ['POST', /^\/api\/v1\/me\/password\/?$/, 'account.password'],
  ['PATCH', /^\/api\/v1\/settings\/[^/]+\/?$/, 'settings.save'],
  ['POST', /^\/api\/v1\/tokens\/?$/, 'tokens.create'],
  ['POST', /^\/api\/v1\/sheets\/sync\/?$/, 'sheets.sync'],
  ['POST', /^\/api\/v1\/ops\/jobs\/[^/]+\/[^/]+\/retry\/?$/, 'ops.retryJob'],
  ['POST', /^\/api\/v1\/candidates\/[^/]+\/link\/?$/, 'candidates.link'],
  ['PATCH', /^\/api\/v1\/candidates\/\d+\/?$/, 'candidates.edit'],
];

export function actionOf(method: string, path: string): string | undefined {
  const pathname = path.split('?')[0];
  return ACTIONS.find(([m, re]) => m === method && re.test(pathname))?.[2];
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'bad_request',
  429: 'rate_limited',
  502: 'upstream_failed',
  503: 'not_configured',
};

export function errorText(facts: ErrorFacts, action?: string): string {
  const t = ko.errors;
  if (facts.code === 'network' || facts.status === 0) return t.network;
  const code = t.codes[facts.code] ? facts.code : (STATUS_CODES[facts.status] ?? (facts.status >= 500 ? 'internal' : ''));
  const specific = action ? t.actions[action] : undefined;
  return (
    (facts.field ? specific?.[`${code}:${facts.field}`] : undefined) ??
    specific?.[code] ??
    t.codes[code] ??
    t.unknown
  );
}
