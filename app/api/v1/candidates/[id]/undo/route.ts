import { NextResponse } from 'next/server';
import { actorOf } from '@/src/server/auth';
import { withApi } from '@/src/server/auth/with-api';
import { undoLastAction } from '@/src/server/candidates';

export const POST = withApi({}, async ({ params, principal }) => NextResponse.json(await undoLastAction(params.id, actorOf(principal))));
