import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { neighbourCandidateIds } from '@/src/server/candidates';
import { listCandidatesQuery } from '@/src/server/candidates/schemas';

/** The next and previous candidate of a view (tab, sort, order, filters) around this one. */
export const GET = withApi({ query: listCandidatesQuery }, async ({ params, query }) =>
  // A non-id (or one too long for bigint, which Number() turns into 1e20 or Infinity) is no candidate: id 0, a 404.
  NextResponse.json(await neighbourCandidateIds(query, /^\d{1,15}$/.test(params.id) ? Number(params.id) : 0)),
);
