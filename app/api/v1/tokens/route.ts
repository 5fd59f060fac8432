import { NextResponse } from 'next/server';
import { createApiToken, createTokenInput, listApiTokens, requireAdmin } from '@/src/server/auth/api-tokens';
import { withApi } from '@/src/server/auth/with-api';

export const GET = withApi({}, async ({ principal }) => {
  requireAdmin(principal);
  return NextResponse.json({ items: await listApiTokens(), nextCursor: null });
});

/** 201 `{token, item}`: the token is shown this once and stored hashed. */
export const POST = withApi({ body: createTokenInput }, async ({ principal, body }) =>
  NextResponse.json(await createApiToken(body, requireAdmin(principal)), { status: 201 }),
);
