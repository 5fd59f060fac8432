import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { listCandidates } from '@/src/server/candidates';
import { listCandidatesQuery } from '@/src/server/candidates/schemas';

export const GET = withApi({ query: listCandidatesQuery }, async ({ query }) => NextResponse.json(await listCandidates(query)));
