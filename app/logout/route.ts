import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { SESSION_COOKIE, signOut } from '@/src/server/auth';
import { isSameOrigin } from '@/src/server/auth/same-origin';
import { whenReady } from '@/src/server/ready';

export async function POST(req: Request) {
  // Another site must not be able to sign the operator out.
  if (!isSameOrigin(req)) {
    return NextResponse.json({ error: { code: 'forbidden', message: 'Cross-site request refused.' } }, { status: 403 });
  }
  await whenReady();
  const jar = await cookies();
  await signOut(jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
  // A relative Location: req.url carries the address the server listens on (0.0.0.0), not the one the browser used.
  return new NextResponse(null, { status: 303, headers: { location: '/login' } });
}
