import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { getChannelDto, updateChannel } from '@/src/server/channels';
import { updateChannelInput } from '@/src/server/channels/schemas';

export const GET = withApi({}, async ({ params }) => NextResponse.json(await getChannelDto(params.id)));

export const PATCH = withApi({ body: updateChannelInput }, async ({ body, params }) => NextResponse.json(await updateChannel(params.id, body)));
