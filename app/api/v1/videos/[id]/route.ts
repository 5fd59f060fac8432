import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { getVideoOrThrow } from '@/src/server/videos';

export const GET = withApi({}, async ({ params }) => NextResponse.json(await getVideoOrThrow(params.id)));
