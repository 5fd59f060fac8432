import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { SESSION_COOKIE, signOut } from '@/src/server/auth';
import { whenReady } from '@/src/server/ready';

export async function POST(req: Request) {
  await whenReady();
  const jar = await cookies();
  await signOut(jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
  return NextResponse.redirect(new URL('/login', req.url), 303);
}
