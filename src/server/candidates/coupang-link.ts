import { DomainError } from '@/src/server/errors';

/**
 * A Coupang product or Partners link pasted by an operator. Only https/http URLs on coupang.com (www., m.,
 * link.coupang.com …) are accepted; anything else is refused with the reason.
 */
export function parseCoupangUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new DomainError('bad_request', 'url is not a valid URL; paste a Coupang product link (https://www.coupang.com/vp/products/…).', 'url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DomainError('bad_request', 'url must be an http(s) Coupang link.', 'url');
  }
  const host = url.hostname.toLowerCase();
  if (host !== 'coupang.com' && !host.endsWith('.coupang.com')) {
    throw new DomainError('bad_request', `url must be a coupang.com or link.coupang.com link, not ${host}.`, 'url');
  }
  if (url.username || url.password) throw new DomainError('bad_request', 'url must not carry credentials.', 'url');
  url.protocol = 'https:';
  return url;
}
