/**
 * Fake of the Coupang Partners Open API (contracts/coupang/*.json):
 *   GET  /v2/providers/affiliate_open_api/apis/openapi/v1/products/search?keyword=…&limit=…&subId=…
 *   POST /v2/providers/affiliate_open_api/apis/openapi/v1/deeplink   body {coupangUrls:[…], subId?}
 * Every request must carry a valid `Authorization: CEA …` header (see ./signature.ts) for
 * opts.accessKey/secretKey; bad/missing → HTTP 401 contract "Invalid signature." body; signed-date
 * older/newer than opts.maxSkewMs (default 5 min, vs opts.now()) → 401 "Specified signature is expired.".
 *
 * Controls: setProducts(keyword, products[]) (unknown keyword → empty productData), deeplinks (created list).
 * Failure injection (one-shot FIFO overrides, consumed before normal handling):
 *   failNext(status, body?, headers?, endpoint?)    endpoint = 'search' | 'deeplink'
 *   quotaExceededNext()   search → HTTP 200 with rCode "403" contract body
 *   rateLimitNext(endpoint?) → HTTP 429 gateway body · expiredNext(endpoint?) → HTTP 401 expired body
 *   hangNext(ms, endpoint?) → the response is held ms (then 504), for client timeouts
 *   opts.searchLimit: after that many successful searches, every search answers the rCode "403" body.
 * Counters: searchCount(), deeplinkCount().
 */
import crypto from 'node:crypto';
import { heldResponse, OverrideQueue, readContractJson, sendCanned, sendJson, startServer, type RecordedRequest } from '../http';
import { verifyCoupangRequest } from './signature';

export const COUPANG_SEARCH_PATH = '/v2/providers/affiliate_open_api/apis/openapi/v1/products/search';
export const COUPANG_DEEPLINK_PATH = '/v2/providers/affiliate_open_api/apis/openapi/v1/deeplink';

export interface CoupangProduct {
  keyword: string;
  rank: number;
  isRocket: boolean;
  isFreeShipping: boolean;
  productId: number;
  productImage: string;
  productName: string;
  productPrice: number;
  productUrl: string;
}

export type CoupangEndpoint = 'search' | 'deeplink';

function contractBody(file: string, fallback: object): object {
  try {
    return readContractJson(`coupang/${file}`);
  } catch {
    return fallback;
  }
}
const txId = () => crypto.randomUUID();
const invalidSig = () => ({ ...contractBody('error-401-invalid-signature.json', { code: 'ERROR', message: 'Invalid signature.' }), transactionId: txId() });
const expired = () => ({ ...contractBody('error-401-expired-signature.json', { code: 'ERROR', message: 'Specified signature is expired.' }), transactionId: txId() });
const gateway429 = () => ({ ...contractBody('error-429-gateway.json', { code: 'ERROR', message: 'Too many requests.' }), transactionId: txId() });
const quotaBody = () => contractBody('error-search-quota-exceeded.json', { rCode: '403', rMessage: '검색 API 호출 한도를 초과했습니다.', data: null });

export interface CoupangFakeOptions {
  accessKey: string;
  secretKey: string;
  /** allowed |now - signed-date|; default 5 minutes; Infinity disables the check */
  maxSkewMs?: number;
  now?: () => Date;
  lptag?: string;
  /** successful searches allowed before answering the rCode "403" quota body */
  searchLimit?: number;
}

export interface CoupangFake {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
  setProducts(keyword: string, products: Array<Partial<CoupangProduct> & { productName: string }>): void;
  failNext(status: number, body?: string | object, headers?: Record<string, string>, endpoint?: CoupangEndpoint): void;
  quotaExceededNext(): void;
  rateLimitNext(endpoint?: CoupangEndpoint): void;
  expiredNext(endpoint?: CoupangEndpoint): void;
  hangNext(ms: number, endpoint?: CoupangEndpoint): void;
  searchCount(): number;
  deeplinkCount(): number;
  deeplinks: Array<{ originalUrl: string; shortenUrl: string; landingUrl: string; subId?: string }>;
}

const randomCode = (n: number) => {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(crypto.randomBytes(n), (b) => abc[b % abc.length]).join('');
};

export async function startCoupangFake(opts: CoupangFakeOptions): Promise<CoupangFake> {
  const products = new Map<string, Array<Partial<CoupangProduct> & { productName: string }>>();
  const queue = new OverrideQueue();
  const lptag = opts.lptag ?? 'AF1234567';
  const deeplinks: CoupangFake['deeplinks'] = [];
  let searches = 0;
  let okSearches = 0;
  let deeplinkCalls = 0;
  const traceid = () => `V0-153-${crypto.randomBytes(8).toString('hex')}`;
  const endpointOf = (r: RecordedRequest): CoupangEndpoint | undefined => (r.path === COUPANG_SEARCH_PATH ? 'search' : r.path === COUPANG_DEEPLINK_PATH ? 'deeplink' : undefined);
  const match = (ep?: CoupangEndpoint) => (ep ? (r: RecordedRequest) => endpointOf(r) === ep : undefined);
  const sub = (subId?: string) => (subId ? `&subid=${encodeURIComponent(subId)}` : '');

  function landingFor(url: string, subId?: string): string | undefined {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return undefined;
    }
    if (!/(^|\.)coupang\.com$/.test(u.hostname)) return undefined;
    const pm = u.pathname.match(/^\/vp\/products\/(\d+)/);
    if (pm) {
      const extra = ['itemId', 'vendorItemId'].filter((k) => u.searchParams.has(k)).map((k) => `&${k}=${encodeURIComponent(u.searchParams.get(k)!)}`).join('');
      return `https://link.coupang.com/re/AFFSDP?lptag=${lptag}${sub(subId)}&pageKey=${pm[1]}${extra}&traceid=${traceid()}`;
    }
    if (u.pathname.startsWith('/np/search')) return `https://link.coupang.com/re/AFFSRP?lptag=${lptag}${sub(subId)}&pageKey=${encodeURIComponent(u.searchParams.get('q') ?? '')}&traceid=${traceid()}`;
    return `https://link.coupang.com/re/AFFHOME?lptag=${lptag}${sub(subId)}&traceid=${traceid()}`;
  }

  const srv = await startServer((req, res) => {
    const ep = endpointOf(req);
    if (ep === 'search') searches++;
    if (ep === 'deeplink') deeplinkCalls++;
    const v = verifyCoupangRequest(String(req.headers.authorization ?? '') || undefined, { method: req.method, path: req.path, query: req.rawQuery }, opts, opts.now?.() ?? new Date(), opts.maxSkewMs ?? 5 * 60_000);
    if (!v.ok) return sendJson(res, 401, v.reason === 'expired' ? expired() : invalidSig());
    const o = queue.take(req);
    if (o && o !== 'pass') return sendCanned(res, o);

    if (ep === 'search' && req.method === 'GET') {
      const keyword = req.query.keyword;
      if (!keyword) return sendJson(res, 200, { rCode: '400', rMessage: 'keyword is required.', data: null });
      if (opts.searchLimit !== undefined && okSearches >= opts.searchLimit) return sendJson(res, 200, quotaBody());
      okSearches++;
      const limit = Math.max(1, Number(req.query.limit ?? 10) || 10);
      const subId = req.query.subId;
      const list = (products.get(keyword) ?? []).slice(0, limit).map((p, i): CoupangProduct => {
        const productId = p.productId ?? 7654300000 + i;
        return {
          keyword,
          rank: p.rank ?? i + 1,
          isRocket: p.isRocket ?? false,
          isFreeShipping: p.isFreeShipping ?? false,
          productId,
          productImage: p.productImage ?? `https://static.coupangcdn.com/image/vendor_inventory/fake/${productId}.jpg`,
          productName: p.productName,
          productPrice: p.productPrice ?? 10000,
          productUrl: p.productUrl ?? `https://link.coupang.com/re/AFFSDP?lptag=${lptag}${sub(subId)}&pageKey=${productId}&itemId=${20000000000 + i}&vendorItemId=${80000000000 + i}&traceid=${traceid()}`,
        };
      });
      return sendJson(res, 200, {
        rCode: '0',
        rMessage: '',
        data: { landingUrl: `https://link.coupang.com/re/AFFSRP?lptag=${lptag}${sub(subId)}&pageKey=${encodeURIComponent(keyword)}&traceid=${traceid()}`, productData: list },
      });
    }

    if (ep === 'deeplink' && req.method === 'POST') {
      const body = req.json as { coupangUrls?: unknown; subId?: string } | undefined;
      if (!body || !Array.isArray(body.coupangUrls) || body.coupangUrls.length === 0) return sendJson(res, 200, { rCode: '400', rMessage: 'coupangUrls is required.', data: null });
      const data: CoupangFake['deeplinks'] = [];
      for (const raw of body.coupangUrls) {
        const landingUrl = landingFor(String(raw), body.subId);
        if (!landingUrl) return sendJson(res, 200, { rCode: '400', rMessage: `Invalid coupang url: ${String(raw)}`, data: null });
        data.push({ originalUrl: String(raw), shortenUrl: `https://link.coupang.com/a/${randomCode(6)}`, landingUrl });
      }
      deeplinks.push(...data.map((d) => ({ ...d, subId: body.subId })));
      return sendJson(res, 200, { rCode: '0', rMessage: '', data });
    }
    return sendJson(res, 404, { code: 'ERROR', message: `fake coupang: no route ${req.method} ${req.path}`, transactionId: txId() });
  });

  return {
    ...srv,
    deeplinks,
    setProducts: (keyword, list) => void products.set(keyword, list),
    failNext(status, body, headers, endpoint) {
      const def = status === 429 ? gateway429() : status === 401 ? invalidSig() : { code: 'ERROR', message: `Error ${status}`, transactionId: txId() };
      queue.push({ status, body: body ?? def, headers }, match(endpoint));
    },
    quotaExceededNext: () => queue.push({ status: 200, body: quotaBody() }, match('search')),
    rateLimitNext: (endpoint) => queue.push({ status: 429, body: gateway429() }, match(endpoint)),
    expiredNext: (endpoint) => queue.push({ status: 401, body: expired() }, match(endpoint)),
    hangNext: (ms, endpoint) => queue.push(heldResponse(ms, { code: 'ERROR', message: 'Gateway Timeout', transactionId: txId() }), match(endpoint)),
    searchCount: () => searches,
    deeplinkCount: () => deeplinkCalls,
  };
}
