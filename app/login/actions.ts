'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { SESSION_COOKIE, signIn } from '@/src/server/auth';
import { clientIpFromHeaders } from '@/src/server/auth/client-ip';
import { isSameOrigin } from '@/src/server/auth/same-origin';
import { whenReady } from '@/src/server/ready';
import { getConfig } from '@/src/server/config';
import { DomainError } from '@/src/server/errors';
import { findUnsafeText } from '@/src/server/safe-text';
import { ko } from '@/app/_i18n/ko';

const input = z.object({
  email: z.string().trim().min(1, ko.auth.emailRequired),
  password: z.string().min(1, ko.auth.passwordRequired),
  next: z.string().optional(),
});

export type LoginState = { error?: string };

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

function sameOriginPost(h: Headers): boolean {
  try {
    return isSameOrigin(new Request(`http://${h.get('host') ?? 'localhost'}/login`, { headers: h }));
  } catch {
    return false; // a Host that is not a host
  }
}

export async function loginAction(_prev: LoginState, form: FormData): Promise<LoginState> {
  await whenReady();
  const parsed = input.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { error: parsed.error.issues[0].message };
  // Text Postgres cannot store would fail the sign-in bookkeeping with a 500.
  if (findUnsafeText(parsed.data)) return { error: ko.auth.invalid };
  const h = await headers();
  // Next.js only compares the Origin's host with Host: an http page of the same host could sign the browser in to the
  // https console (login CSRF). Scheme, host and port must match, as for the API (same-origin.ts).
  if (!sameOriginPost(h)) return { error: '다른 사이트에서 보낸 로그인 요청은 받지 않습니다. (cross-site sign-in refused)' };
  let session;
  try {
    session = await signIn({
      email: parsed.data.email,
      password: parsed.data.password,
      ip: clientIpFromHeaders(h),
      userAgent: h.get('user-agent') ?? undefined,
    });
  } catch (e) {
    // the operator reads Korean; the service's own wording (with its English) stays in the log
    if (e instanceof DomainError) return { error: e.code === 'rate_limited' ? ko.auth.throttled : ko.auth.invalid };
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
