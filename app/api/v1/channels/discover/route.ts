import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { discoverChannels } from '@/src/server/channels/discovery';
import { discoverInput } from '@/src/server/channels/schemas';

export const POST = withApi({ body: discoverInput }, async ({ body }) => NextResponse.json(await discoverChannels(body)));
