import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { selectCandidateIds } from '@/src/server/candidates';
import { listCandidatesQuery } from '@/src/server/candidates/schemas';

/** Every candidate id of a view (tab + filters, all pages; at most BULK_MAX): `{ids, total, truncated}`. */
export const GET = withApi({ query: listCandidatesQuery }, async ({ query }) => NextResponse.json(await selectCandidateIds(query)));
