import { NextResponse } from 'next/server';
import { actorOf } from '@/src/server/auth';
import { withApi } from '@/src/server/auth/with-api';
import { transitionCandidate } from '@/src/server/candidates';
import { transitionCandidateInput } from '@/src/server/candidates/schemas';

export const POST = withApi({ body: transitionCandidateInput }, async ({ params, body, principal }) =>
  NextResponse.json(await transitionCandidate(params.id, body, actorOf(principal))),
);
