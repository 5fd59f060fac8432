'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { SESSION_COOKIE, signIn } from '@/src/server/auth';
import { clientIpFromHeaders } from '@/src/server/auth/client-ip';
import { whenReady } from '@/src/server/ready';
import { getConfig } from '@/src/server/config';
import { DomainError } from '@/src/server/errors';
import { findUnsafeText } from '@/src/server/safe-text';

const input = z.object({
  email: z.string().trim().min(1, '이메일을 입력하세요.'),
  password: z.string().min(1, '비밀번호를 입력하세요.'),
  next: z.string().optional(),
});

export type LoginState = { error?: string };

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export async function loginAction(_prev: LoginState, form: FormData): Promise<LoginState> {
  await whenReady();
  const parsed = input.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { error: parsed.error.issues[0].message };
  // Text Postgres cannot store would fail the sign-in bookkeeping with a 500.
  if (findUnsafeText(parsed.data)) return { error: '이메일 또는 비밀번호가 올바르지 않습니다. (invalid e-mail or password)' };
  const h = await headers();
  let session;
  try {
    session = await signIn({
      email: parsed.data.email,
      password: parsed.data.password,
      ip: clientIpFromHeaders(h),
      userAgent: h.get('user-agent') ?? undefined,
    });
  } catch (e) {
    if (e instanceof DomainError) return { error: e.message };
    throw e;
  }
  (await cookies()).set(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'lax',
    // Secure whenever the browser reached us over https: configured so, or told by the proxy in front
    secure: getConfig().APP_BASE_URL.startsWith('https://') || h.get('x-forwarded-proto') === 'https',
    path: '/',
    maxAge: session.maxAgeSeconds,
  });
  redirect(safeNext(parsed.data.next));
}
