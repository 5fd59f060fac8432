import { NextResponse } from 'next/server';
import { requireAdmin } from '@/src/server/auth/api-tokens';
import { resetOperatorPassword } from '@/src/server/auth/operators';
import { withApi } from '@/src/server/auth/with-api';

/** `{operator, password}`: the new password is shown this once; the operator's sessions end. */
export const POST = withApi({}, async ({ principal, params }) =>
  NextResponse.json(await resetOperatorPassword(params.id, requireAdmin(principal))),
);
