import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { neighbourCandidateIds } from '@/src/server/candidates';
import { listCandidatesQuery } from '@/src/server/candidates/schemas';

/** The next and previous candidate of a view (tab, sort, order, filters) around this one. */
export const GET = withApi({ query: listCandidatesQuery }, async ({ params, query }) =>
  NextResponse.json(await neighbourCandidateIds(query, Number(params.id) || 0)),
);
