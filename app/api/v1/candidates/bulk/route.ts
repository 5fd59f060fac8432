import { NextResponse } from 'next/server';
import { actorOf } from '@/src/server/auth';
import { withApi } from '@/src/server/auth/with-api';
import { transitionCandidates } from '@/src/server/candidates';
import { bulkTransitionInput } from '@/src/server/candidates/schemas';

/** Approve or reject a selection: `{ids, to: approved|rejected, note}` → per-candidate results. */
export const POST = withApi({ body: bulkTransitionInput }, async ({ body, principal }) =>
  NextResponse.json({ results: await transitionCandidates(body.ids, body.to, body.note, actorOf(principal)) }),
);
