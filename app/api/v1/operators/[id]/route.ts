import { NextResponse } from 'next/server';
import { requireAdmin } from '@/src/server/auth/api-tokens';
import { updateOperator, updateOperatorInput } from '@/src/server/auth/operators';
import { withApi } from '@/src/server/auth/with-api';

/** `{disabled?, role?}`. */
export const PATCH = withApi({ body: updateOperatorInput }, async ({ principal, params, body }) =>
  NextResponse.json(await updateOperator(params.id, body, requireAdmin(principal))),
);
