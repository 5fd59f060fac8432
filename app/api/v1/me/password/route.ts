import { NextResponse } from 'next/server';
import { changeOwnPassword, changeOwnPasswordInput } from '@/src/server/account';
import { clientIpFromHeaders } from '@/src/server/auth/client-ip';
import { withApi } from '@/src/server/auth/with-api';
import { DomainError } from '@/src/server/errors';

/**
 * `{currentPassword, newPassword}` → 200 `{endedSessions}`: the signed-in operator's own password. The session making
 * the call stays signed in; the operator's other sessions end. Sessions only (an API token has no password).
 */
export const POST = withApi({ body: changeOwnPasswordInput }, async ({ req, principal, body }) => {
  if (principal.kind !== 'session') throw new DomainError('forbidden', 'Only a signed-in operator can change their own password.');
  const result = await changeOwnPassword(
    { userId: principal.user.id, email: principal.user.email, sessionId: principal.sessionId, ip: clientIpFromHeaders(req.headers) },
    body,
  );
  return NextResponse.json(result);
});
