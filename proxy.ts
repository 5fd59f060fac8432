import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, newNonce } from '@/src/server/auth/content-security-policy';

/**
 * Every page gets a Content-Security-Policy with a fresh nonce (set on the request too, where Next.js reads it for its
 * own scripts). An optimistic first gate: pages without a session cookie go to /login, except /login itself and the
 * public link-in-bio page (/l, see isLinkPage). The real check (the session in the
 * database) happens in the console layout and in every API handler.
 *
 * It also answers paths whose percent-encoding is broken (`/api/v1/videos/%c0`): Next cannot decode them into route
 * params and would answer a plain-text 500. API callers get the JSON error shape: 401 without credentials, else 400.
 */
export function proxy(req: NextRequest) {
  const { pathname } = req.nextUrl;
  const api = pathname.startsWith('/api/');
  const signedIn = !!req.cookies.get('ii_session');
  if (!api && !signedIn && pathname !== '/login' && !isLinkPage(pathname)) {
    const url = req.nextUrl.clone();
    url.pathname = '/login';
    url.search = '';
    const next = pathname + req.nextUrl.search;
    if (next !== '/') url.searchParams.set('next', next);
    return NextResponse.redirect(url);
  }
  if (!decodable(pathname)) {
    if (api && !signedIn && !req.headers.get('authorization')) {
      return NextResponse.json(
        { error: { code: 'unauthorized', message: 'Sign in, or send Authorization: Bearer <API token>.' } },
        { status: 401 },
      );
    }
    return NextResponse.json({ error: { code: 'bad_request', message: 'The path is not valid percent-encoded UTF-8.' } }, { status: 400 });
  }
  if (api) return NextResponse.next();
  const csp = contentSecurityPolicy(newNonce());
  const headers = new Headers(req.headers);
  headers.set('content-security-policy', csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set('content-security-policy', csp);
  return res;
}

/**
 * The public link-in-bio page (issue 16), the only public page besides /login: `/l`, `/l/<celebrity>`, the short links
 * `/l/p/<slug>` and their thumbnails `/l/p/<slug>/image`. They read published products only and set no cookie.
 */
function isLinkPage(pathname: string): boolean {
  return pathname === '/l' || pathname.startsWith('/l/');
}

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  // Pages (the login page too, for its policy) but not static assets. APIs (they answer 401 themselves): only for the
  // percent-encoding check, and never the upload: a body passing through the proxy is buffered and cut at 10 MB, so the
  // upload route reads its own stream (and refuses an oversized declared length before reading it).
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico|robots.txt).*)', '/api/((?!v1/videos/upload$).*)'],
};
