import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { updateCelebrity } from '@/src/server/channels';
import { celebrityPatch } from '@/src/server/channels/schemas';

export const PATCH = withApi({ body: celebrityPatch }, async ({ body, params }) => NextResponse.json(await updateCelebrity(params.id, body)));
