import { NextResponse } from 'next/server';
import { actorOf } from '@/src/server/auth';
import { withApi } from '@/src/server/auth/with-api';
import { getCandidateOrThrow, updateCandidate } from '@/src/server/candidates';
import { patchCandidateInput } from '@/src/server/candidates/schemas';

export const GET = withApi({}, async ({ params }) => NextResponse.json(await getCandidateOrThrow(params.id)));

export const PATCH = withApi({ body: patchCandidateInput }, async ({ params, body, principal }) =>
  NextResponse.json(await updateCandidate(params.id, body, actorOf(principal))),
);
