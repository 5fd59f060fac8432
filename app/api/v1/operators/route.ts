import { NextResponse } from 'next/server';
import { requireAdmin } from '@/src/server/auth/api-tokens';
import { addOperator, addOperatorInput, listOperators } from '@/src/server/auth/operators';
import { withApi } from '@/src/server/auth/with-api';

/** Admins only: the list holds every operator's e-mail. */
export const GET = withApi({}, async ({ principal }) => {
  requireAdmin(principal);
  return NextResponse.json({ items: await listOperators(), nextCursor: null });
});

/** 201 `{operator, password?}`: a generated password is shown this once. */
export const POST = withApi({ body: addOperatorInput }, async ({ principal, body }) =>
  NextResponse.json(await addOperator(body, requireAdmin(principal)), { status: 201 }),
);
