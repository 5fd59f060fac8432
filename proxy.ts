import { NextResponse, type NextRequest } from 'next/server';

/**
 * An optimistic first gate: pages without a session cookie go to /login. The real check (the session in the
 * database) happens in the console layout and in every API handler.
 */
export function proxy(req: NextRequest) {
  if (!req.cookies.get('ii_session')) {
    const url = req.nextUrl.clone();
    url.pathname = '/login';
    url.search = '';
    const next = req.nextUrl.pathname + req.nextUrl.search;
    if (next !== '/') url.searchParams.set('next', next);
    return NextResponse.redirect(url);
  }
  return NextResponse.next();
}

export const config = {
  // Everything except the login page, the JSON APIs (they answer 401 themselves) and static assets.
  matcher: ['/((?!login|api/|_next/static|_next/image|favicon.ico|robots.txt).*)'],
};
