import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { whenReady } from '@/src/server/ready';
import { SESSION_COOKIE, userFromSession, type Operator } from './index';

/** The signed-in operator for a console page; sends everyone else to /login. */
export async function requireOperator(): Promise<Operator> {
  await whenReady();
  const principal = await userFromSession((await cookies()).get(SESSION_COOKIE)?.value);
  if (!principal || principal.kind !== 'session') redirect('/login');
  return principal.user;
}
