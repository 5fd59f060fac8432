import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { createCelebrity, listCelebrities } from '@/src/server/channels';
import { celebrityInput, listCelebritiesQuery } from '@/src/server/channels/schemas';

export const GET = withApi({ query: listCelebritiesQuery }, async ({ query }) => NextResponse.json(await listCelebrities(query)));

export const POST = withApi({ body: celebrityInput }, async ({ body }) => NextResponse.json(await createCelebrity(body), { status: 201 }));
