import { NextResponse } from 'next/server';
import { requireAdmin, revokeApiToken } from '@/src/server/auth/api-tokens';
import { withApi } from '@/src/server/auth/with-api';

/** Revokes the token (it stops working at once); the row stays for the audit trail. */
export const DELETE = withApi({}, async ({ principal, params }) =>
  NextResponse.json(await revokeApiToken(params.id, requireAdmin(principal))),
);
