import { NextResponse } from 'next/server';
import { actorOf } from '@/src/server/auth';
import { withApi } from '@/src/server/auth/with-api';
import { attachCoupangLink } from '@/src/server/candidates';
import { linkCandidateInput } from '@/src/server/candidates/schemas';

export const POST = withApi({ body: linkCandidateInput }, async ({ params, body, principal }) =>
  NextResponse.json(await attachCoupangLink(params.id, body, actorOf(principal))),
);
