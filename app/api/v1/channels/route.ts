import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { createChannel, DuplicateChannelError, listChannels } from '@/src/server/channels';
import { createChannelInput, listChannelsQuery } from '@/src/server/channels/schemas';

export const GET = withApi({ query: listChannelsQuery }, async ({ query }) => NextResponse.json(await listChannels(query)));

export const POST = withApi({ body: createChannelInput }, async ({ body }) => {
  try {
    return NextResponse.json(await createChannel(body), { status: 201 });
  } catch (err) {
    if (!(err instanceof DuplicateChannelError)) throw err;
    return NextResponse.json(
      { error: { code: err.code, message: err.message, field: err.field, existingId: err.existingId }, id: err.existingId },
      { status: 409 },
    );
  }
});
