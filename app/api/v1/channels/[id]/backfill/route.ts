import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { requestBackfill } from '@/src/server/channels';
import { backfillInput } from '@/src/server/channels/schemas';

export const POST = withApi({ body: backfillInput }, async ({ body, params }) => NextResponse.json(await requestBackfill(params.id, body), { status: 202 }));
