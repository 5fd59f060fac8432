import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { getCandidateOrThrow, listCandidateEvents } from '@/src/server/candidates';

export const GET = withApi({}, async ({ params }) => {
  await getCandidateOrThrow(params.id);
  return NextResponse.json({ items: await listCandidateEvents(params.id), nextCursor: null });
});
