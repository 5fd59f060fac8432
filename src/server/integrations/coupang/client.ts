import { z } from 'zod';
import { getConfig } from '@/src/server/config';
import { DomainError } from '@/src/server/errors';
import { errorFromResponse, IntegrationError } from '@/src/server/integrations/errors';
import { callExternal } from '@/src/server/integrations/policy';
import { signCoupangRequest } from './sign';

/**
 * Coupang Partners Open API client (contracts/coupang): every request signed (sign.ts) over the exact path and query
 * sent; `rCode != "0"` is an error even on HTTP 200 (rCode "403" = search quota, retried later by the caller, never
 * here); HTTP 401 (bad or expired signature) is never retried; 429/5xx go through the policy layer's retries.
 */
export const SEARCH_PATH = '/v2/providers/affiliate_open_api/apis/openapi/v1/products/search';
export const DEEPLINK_PATH = '/v2/providers/affiliate_open_api/apis/openapi/v1/deeplink';

export function coupangConfigured(): boolean {
  const c = getConfig();
  return !!(c.COUPANG_ACCESS_KEY && c.COUPANG_SECRET_KEY);
}

export class CoupangQuotaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CoupangQuotaError';
  }
}

const productSchema = z.object({
  productId: z.union([z.number(), z.string()]).transform(String),
  productName: z.string(),
  productPrice: z.number().nullable().optional(),
  productImage: z.string().nullable().optional(),
  productUrl: z.string(),
  isRocket: z.boolean().optional(),
  rank: z.number().optional(),
});
export type CoupangSearchProduct = z.infer<typeof productSchema>;
const envelope = z.object({ rCode: z.string(), rMessage: z.string().nullable().optional(), data: z.unknown() });
const searchData = z.object({ landingUrl: z.string().optional(), productData: z.array(productSchema) });
const deeplinkData = z.array(z.object({ originalUrl: z.string(), shortenUrl: z.string(), landingUrl: z.string().optional() }));

type Meta = { operation: 'search' | 'deeplink'; videoId?: number | null; candidateId?: number | null };

async function request(meta: Meta, method: 'GET' | 'POST', path: string, query: string, body?: unknown): Promise<unknown> {
  const c = getConfig();
  if (!c.COUPANG_ACCESS_KEY || !c.COUPANG_SECRET_KEY) {
    throw new DomainError('not_configured', 'Coupang Partners is not configured: set COUPANG_ACCESS_KEY and COUPANG_SECRET_KEY.');
  }
  const url = new URL(path + (query ? `?${query}` : ''), c.COUPANG_BASE_URL);
  return callExternal({ provider: 'coupang', operation: meta.operation, videoId: meta.videoId, candidateId: meta.candidateId, units: 1 }, async (signal) => {
    const { authorization } = signCoupangRequest({
      method,
      path: url.pathname,
      query: url.search.slice(1),
      accessKey: c.COUPANG_ACCESS_KEY!,
      secretKey: c.COUPANG_SECRET_KEY!,
    });
    const res = await fetch(url, {
      method,
      signal,
      headers: { Authorization: authorization, 'Content-Type': 'application/json;charset=UTF-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      let detail = text.slice(0, 200);
      try {
        detail = String((JSON.parse(text) as { message?: string }).message ?? detail);
      } catch {
        /* plain text */
      }
      const err = errorFromResponse('coupang', meta.operation, res, detail);
      if (res.status === 401) {
        throw new IntegrationError({ provider: 'coupang', operation: meta.operation, status: 401, retryable: false, code: 'unauthorized' }, `Coupang rejected the credentials (HTTP 401: ${detail}); check COUPANG_ACCESS_KEY/COUPANG_SECRET_KEY and the server clock`);
      }
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new IntegrationError({ provider: 'coupang', operation: meta.operation, status: res.status, retryable: false, code: 'bad_response' }, `Coupang ${meta.operation} answered with an unexpected body (not JSON, ${text.length} bytes)`);
    }
    const parsed = envelope.safeParse(json);
    if (!parsed.success) throw new IntegrationError({ provider: 'coupang', operation: meta.operation, status: res.status, retryable: false, code: 'bad_response' }, 'Coupang answered with an unexpected body');
    if (parsed.data.rCode !== '0') {
      const msg = `Coupang ${meta.operation}: rCode ${parsed.data.rCode} ${parsed.data.rMessage ?? ''}`.trim();
      if (parsed.data.rCode === '403' && meta.operation === 'search') throw new CoupangQuotaError(msg);
      throw new IntegrationError({ provider: 'coupang', operation: meta.operation, status: res.status, retryable: false, code: `rcode_${parsed.data.rCode}` }, msg);
    }
    return parsed.data.data;
  }, { retries: 2 });
}

export async function searchProducts(keyword: string, meta: { videoId?: number | null; candidateId?: number | null; subId?: string } = {}) {
  const q = new URLSearchParams({ keyword, limit: '10' });
  if (meta.subId) q.set('subId', meta.subId);
  const data = await request({ operation: 'search', ...meta }, 'GET', SEARCH_PATH, q.toString());
  const parsed = searchData.safeParse(data);
  if (!parsed.success) throw new IntegrationError({ provider: 'coupang', operation: 'search', retryable: false, code: 'bad_response' }, 'Coupang search answered without productData');
  return parsed.data.productData;
}

export async function createDeeplink(coupangUrl: string, subId: string, meta: { videoId?: number | null; candidateId?: number | null } = {}) {
  const data = await request({ operation: 'deeplink', ...meta }, 'POST', DEEPLINK_PATH, '', { coupangUrls: [coupangUrl], subId });
  const parsed = deeplinkData.safeParse(data);
  if (!parsed.success || !parsed.data[0]) throw new IntegrationError({ provider: 'coupang', operation: 'deeplink', retryable: false, code: 'bad_response' }, 'Coupang deeplink answered without data');
  return parsed.data[0];
}

/** A search result's tracking URL → the canonical product page the deeplink API accepts. */
export function productPageUrl(p: Pick<CoupangSearchProduct, 'productId' | 'productUrl'>): string {
  let itemId: string | null = null;
  let vendorItemId: string | null = null;
  try {
    const u = new URL(p.productUrl);
    if (/\/vp\/products\//.test(u.pathname)) return p.productUrl;
    itemId = u.searchParams.get('itemId');
    vendorItemId = u.searchParams.get('vendorItemId');
  } catch {
    /* keep defaults */
  }
  const q = new URLSearchParams();
  if (itemId) q.set('itemId', itemId);
  if (vendorItemId) q.set('vendorItemId', vendorItemId);
  const qs = q.toString();
  return `https://www.coupang.com/vp/products/${p.productId}${qs ? `?${qs}` : ''}`;
}
