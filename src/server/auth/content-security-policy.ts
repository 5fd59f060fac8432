/**
 * The console's Content-Security-Policy. Scripts run only with this response's nonce (Next.js puts it on its own
 * inline and chunk scripts when it finds the policy on the request, see proxy.ts), so injected markup cannot run
 * script even if some output were not escaped. Styles allow inline attributes (React `style` props); images may come
 * from https (Coupang product pictures); the only frame is the YouTube clip player; nothing may frame the console.
 * `next dev` needs eval for its error overlay and fast refresh.
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === 'development'): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    'frame-src https://www.youtube-nocookie.com',
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A fresh nonce per response (128 random bits, base64). */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
