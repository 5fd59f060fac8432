import { NextResponse } from 'next/server';
import { actorOf } from '@/src/server/auth';
import { withApi } from '@/src/server/auth/with-api';
import { transitionCandidates } from '@/src/server/candidates';
import { bulkTransitionInput } from '@/src/server/candidates/schemas';

/**
 * Moves a selection: `{ids (≤ 1000), to: approved|rejected|archived|published|needs_review, note}` → per-candidate
 * results (each its own transaction; a refusal names its reason).
 */
export const POST = withApi({ body: bulkTransitionInput }, async ({ body, principal }) =>
  NextResponse.json({ results: await transitionCandidates(body.ids, body.to, body.note, actorOf(principal)) }),
);
